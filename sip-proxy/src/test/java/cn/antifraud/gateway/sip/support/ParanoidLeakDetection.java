package cn.antifraud.gateway.sip.support;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tracks every Netty buffer at {@link ResourceLeakDetector.Level#PARANOID} for the tests that
 * exercise buffers (framers, decoders, fuzz), and only for them: paranoid detection records a stack
 * trace on every access to a tracked buffer, which made a byte-scanning framer test take minutes on a
 * busy machine, while the tests that merely run a proxy over sockets gain nothing from it.
 *
 * <p>Use as {@code @ExtendWith(ParanoidLeakDetection.class)} on a class or a test method. The level is
 * a global that Netty reads on every allocation, so it can be raised for one test and restored after;
 * surefire runs a module's test classes one at a time, so no other test sees it.
 */
public final class ParanoidLeakDetection implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ParanoidLeakDetection.class);
    private static final String PREVIOUS = "previous-level";

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(PREVIOUS, ResourceLeakDetector.getLevel());
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ResourceLeakDetector.Level previous = context.getStore(NAMESPACE).remove(PREVIOUS, ResourceLeakDetector.Level.class);
        ResourceLeakDetector.setLevel(previous == null ? ResourceLeakDetector.Level.SIMPLE : previous);
    }
}
