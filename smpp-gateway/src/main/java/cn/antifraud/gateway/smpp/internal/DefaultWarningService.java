package cn.antifraud.gateway.smpp.internal;

import static java.util.Objects.requireNonNull;

import cn.antifraud.gateway.registry.FamilyContacts;
import cn.antifraud.gateway.registry.PhoneNumber;
import cn.antifraud.gateway.smpp.FamilyContactSource;
import cn.antifraud.gateway.smpp.SmppGatewayConfig;
import cn.antifraud.gateway.smpp.NotAMobileNumberException;
import cn.antifraud.gateway.smpp.SmsJob;
import cn.antifraud.gateway.smpp.WarningRecord;
import cn.antifraud.gateway.smpp.WarningRequest;
import cn.antifraud.gateway.smpp.WarningService;
import cn.antifraud.gateway.smpp.WarningStatus;
import cn.antifraud.gateway.smpp.encoding.SmsKind;
import cn.antifraud.gateway.smpp.template.Placeholder;
import cn.antifraud.gateway.smpp.template.WarningTemplates;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns warning requests into jobs (分级预警): tier 1 one SMS to the subscriber in the fraud type's wording;
 * tier 2 a flash SMS, an SMS to each family contact when the subscriber consented, and the tier-1 SMS unless
 * a tier-1 warning went out within the window. One warning per subscriber and tier per window, enforced
 * cluster-wide with putIfAbsent on a map entry that lives as long as the window.
 */
public final class DefaultWarningService implements WarningService {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultWarningService.class);

    private final SmppGatewayConfig config;
    private final WarningTemplates templates;
    private final FamilyContactSource family;
    private final JobEngine engine;
    private final IMap<String, WarningRecord> warnings;
    private final IMap<String, StoredTarget> dedup;
    private final ExecutorService executor;
    private final MeterRegistry meters;

    public DefaultWarningService(SmppGatewayConfig config, WarningTemplates templates, FamilyContactSource family,
                                 JobEngine engine, IMap<String, WarningRecord> warnings, IMap<String, StoredTarget> dedup,
                                 ExecutorService executor, MeterRegistry meters) {
        this.config = requireNonNull(config, "config");
        this.templates = requireNonNull(templates, "templates");
        this.family = requireNonNull(family, "family");
        this.engine = requireNonNull(engine, "engine");
        this.warnings = requireNonNull(warnings, "warnings");
        this.dedup = requireNonNull(dedup, "dedup");
        this.executor = requireNonNull(executor, "executor");
        this.meters = requireNonNull(meters, "meters");
    }

    @Override
    public CompletionStage<WarningRecord> warn(WarningRequest request) {
        requireNonNull(request, "request");
        Optional<String> problem = subscriberProblem(request.subscriber());
        if (problem.isPresent()) {
            meters.counter("smpp.warnings", "tier", Integer.toString(request.tier()), "result", "not_mobile").increment();
            return CompletableFuture.failedFuture(new NotAMobileNumberException(problem.get()));
        }
        return CompletableFuture.supplyAsync(() -> create(request), executor);
    }

    @Override
    public Optional<String> subscriberProblem(PhoneNumber subscriber) {
        return config.mobilePrefixes().problem(subscriber);
    }

    @Override
    public CompletionStage<Optional<WarningStatus>> status(String warningId) {
        requireNonNull(warningId, "warningId");
        return CompletableFuture.supplyAsync(() -> Optional.ofNullable(warnings.get(warningId)).map(w -> {
            List<SmsJob> jobs = new ArrayList<>();
            for (String id : w.jobIds()) {
                engine.job(id).ifPresent(jobs::add);
            }
            return new WarningStatus(w, jobs);
        }), executor);
    }

    private WarningRecord create(WarningRequest request) {
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        String key = request.subscriber().e164() + "|" + request.tier();
        String earlier = StoredTarget.valueOf(dedup.putIfAbsent(key, new StoredTarget(id), config.dedupWindow().toMillis(), TimeUnit.MILLISECONDS));
        if (earlier != null) {
            meters.counter("smpp.warnings", "tier", Integer.toString(request.tier()), "result", "duplicate").increment();
            WarningRecord dup = new WarningRecord(id, request, now, List.of(), earlier);
            warnings.set(id, dup);
            return dup;
        }
        List<SmsJob> jobs = new ArrayList<>();
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.FRAUD_TYPE, request.fraudType().chineseName());
        request.fraudNumberIfKnown().ifPresent(n -> values.put(Placeholder.FRAUD_LAST4, n.lastFour()));
        values.put(Placeholder.SUBSCRIBER_LAST4, request.subscriber().lastFour());
        String tier1Text = templates.forType(request.fraudType()).render(values);
        if (request.tier() == 1) {
            jobs.add(job(id, request.subscriber(), SmsKind.NORMAL, tier1Text, now));
        } else {
            jobs.add(job(id, request.subscriber(), SmsKind.FLASH, templates.flash().render(values), now));
            boolean tier1Sent = dedup.putIfAbsent(request.subscriber().e164() + "|1", new StoredTarget(id),
                    config.dedupWindow().toMillis(), TimeUnit.MILLISECONDS) != null;
            if (!tier1Sent) {
                jobs.add(job(id, request.subscriber(), SmsKind.NORMAL, tier1Text, now));
            }
            Optional<FamilyContacts> contacts = family.familyContacts(request.subscriber());
            if (contacts.isPresent() && contacts.get().consent()) {
                String familyText = templates.family().render(values);
                for (PhoneNumber contact : contacts.get().contacts()) {
                    if (subscriberProblem(contact).isPresent()) {
                        // A family contact on a landline cannot read an SMS; the others still get theirs.
                        meters.counter("smpp.family_contacts", "result", "not_mobile").increment();
                    } else {
                        jobs.add(job(id, contact, SmsKind.NORMAL, familyText, now));
                    }
                }
            }
        }
        WarningRecord record = new WarningRecord(id, request, now, jobs.stream().map(SmsJob::id).toList(), "");
        // The warning and its jobs are written at once, not one after another: each is a write-through
        // commit, and the group commit can then put them in one transaction. The caller's 202 still comes
        // only once all of them are in the database.
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        writes.add(warnings.setAsync(id, record).toCompletableFuture());
        for (SmsJob job : jobs) {
            writes.add(engine.store(job));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        meters.counter("smpp.warnings", "tier", Integer.toString(request.tier()), "result", "created").increment();
        return record;
    }

    /**
     * Removes the warnings this member owns that are older than {@code smpp.job-retention} (their jobs
     * are final by then: the config requires the retention to exceed retry max-age plus the receipt
     * timeout), from the map and, write-through, from the database. Returns how many it removed.
     */
    public int purgeExpired(Instant now) {
        Instant before = now.minus(config.jobRetention());
        int purged = 0;
        for (String id : warnings.localKeySet()) {
            WarningRecord w = warnings.get(id);
            if (w != null && w.createdAt().isBefore(before) && warnings.remove(id, w)) {
                purged++;
            }
        }
        if (purged > 0) {
            meters.counter("smpp.warnings.purged").increment(purged);
            LOG.info("removed {} warnings older than {}", purged, config.jobRetention());
        }
        return purged;
    }

    private SmsJob job(String warningId, PhoneNumber to, SmsKind kind, String text, Instant now) {
        int reference = ThreadLocalRandom.current().nextInt(256);
        SmsJob draft = SmsJob.queued(UUID.randomUUID().toString(), warningId, to.e164(), kind, text, reference, 1, now);
        int parts = engine.encode(draft).parts().size();
        return SmsJob.queued(draft.id(), warningId, to.e164(), kind, text, reference, parts, now);
    }
}
