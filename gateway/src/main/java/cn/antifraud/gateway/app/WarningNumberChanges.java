package cn.antifraud.gateway.app;

import cn.antifraud.gateway.registry.WarningNumber;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Objects;

/**
 * Tells a callback that a warning number was added, changed or removed anywhere in the cluster (a
 * Hazelcast entry listener without values: the callback re-reads what it needs on its own thread).
 */
final class WarningNumberChanges implements EntryAddedListener<String, WarningNumber>,
        EntryUpdatedListener<String, WarningNumber>, EntryRemovedListener<String, WarningNumber> {
    private final Runnable onChange;

    WarningNumberChanges(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    @Override
    public void entryAdded(EntryEvent<String, WarningNumber> event) {
        onChange.run();
    }

    @Override
    public void entryUpdated(EntryEvent<String, WarningNumber> event) {
        onChange.run();
    }

    @Override
    public void entryRemoved(EntryEvent<String, WarningNumber> event) {
        onChange.run();
    }
}
