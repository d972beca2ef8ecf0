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
import cn.antifraud.gateway.registry.work.TimeOrderedIds;
import cn.antifraud.gateway.registry.work.Updated;
import cn.antifraud.gateway.registry.work.WorkStore;
import cn.antifraud.gateway.registry.work.WorkStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
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
    /**
     * How often {@link #purgeExpired} runs: warning records expire by their time-to-live, and the purge only
     * finds those an earlier release stored without one, so once a day is plenty (it reads every record).
     */
    public static final java.time.Duration LEGACY_PURGE_EVERY = java.time.Duration.ofDays(1);

    private final SmppGatewayConfig config;
    private final WarningTemplates templates;
    private final FamilyContactSource family;
    private final JobEngine engine;
    private final WorkStore<WarningRecord> warnings;
    private final WorkStore<String> dedup;
    private final DedupClaims claims;
    private final ExecutorService executor;
    private final MeterRegistry meters;

    public DefaultWarningService(SmppGatewayConfig config, WarningTemplates templates, FamilyContactSource family,
                                 JobEngine engine, WorkStores stores, ExecutorService executor, MeterRegistry meters) {
        this.config = requireNonNull(config, "config");
        this.templates = requireNonNull(templates, "templates");
        this.family = requireNonNull(family, "family");
        this.engine = requireNonNull(engine, "engine");
        requireNonNull(stores, "stores");
        this.warnings = stores.open(SmsWorkStores.WARNINGS);
        this.dedup = stores.open(SmsWorkStores.DEDUP);
        this.executor = requireNonNull(executor, "executor");
        this.meters = requireNonNull(meters, "meters");
        this.claims = new DedupClaims(dedup,
                id -> DedupClaims.complete(warnings.get(id), jobId -> engine.job(jobId).isPresent()),
                config.dedupWindow(), java.time.Clock.systemUTC(), meters);
    }

    @Override
    public CompletionStage<WarningRecord> warn(WarningRequest request) {
        requireNonNull(request, "request");
        Optional<String> problem = subscriberProblem(request.subscriber());
        if (problem.isPresent()) {
            meters.counter("smpp.warnings", "tier", Integer.toString(request.tier()), "result", "not_mobile").increment();
            return CompletableFuture.failedFuture(new NotAMobileNumberException(problem.get()));
        }
        return CompletableFuture.supplyAsync(() -> {
            Created created = create(request);
            store(List.of(created));
            return created.record();
        }, executor);
    }

    /**
     * Many warnings at once (the batch intake): each is checked and deduplicated as {@link #warn} does,
     * then all their records are written with one batch write and all their jobs with another, durable
     * in one database transaction each, instead of one write per record. A request whose subscriber is not
     * a mobile number fails its own future only. Each future completes once its warning and jobs are stored.
     */
    @Override
    public List<CompletionStage<WarningRecord>> warnAll(List<WarningRequest> requests) {
        List<CompletableFuture<WarningRecord>> results = new ArrayList<>(requests.size());
        List<Integer> valid = new ArrayList<>();
        for (WarningRequest request : requests) {
            Optional<String> problem = subscriberProblem(requireNonNull(request, "request").subscriber());
            if (problem.isPresent()) {
                meters.counter("smpp.warnings", "tier", Integer.toString(request.tier()), "result", "not_mobile").increment();
                results.add(CompletableFuture.failedFuture(new NotAMobileNumberException(problem.get())));
            } else {
                valid.add(results.size());
                results.add(new CompletableFuture<>());
            }
        }
        if (valid.isEmpty()) {
            return List.copyOf(results);
        }
        CompletableFuture.runAsync(() -> {
            // Every dedup entry of the chunk in flight at once: one at a time, each would wait for its own commit.
            Instant now = Instant.now();
            List<String> ids = new ArrayList<>(valid.size());
            List<CompletableFuture<Updated<String>>> first = new ArrayList<>(valid.size());
            for (int i : valid) {
                String id = TimeOrderedIds.next();
                ids.add(id);
                first.add(claims.write(dedupKey(requests.get(i)), id, now));
            }
            Set<String> batchIds = Set.copyOf(ids);
            List<Created> created = new ArrayList<>(valid.size());
            for (int k = 0; k < valid.size(); k++) {
                WarningRequest request = requests.get(valid.get(k));
                DedupClaims.Claim claim = claims.settle(dedupKey(request), ids.get(k), first.get(k).join(), batchIds);
                created.add(create(request, ids.get(k), claim, now, batchIds));
            }
            store(created);
            for (int k = 0; k < valid.size(); k++) {
                results.get(valid.get(k)).complete(created.get(k).record());
            }
        }, executor).whenComplete((ok, failed) -> {
            if (failed != null) {
                for (int i : valid) {
                    results.get(i).completeExceptionally(failed);
                }
            }
        });
        return List.copyOf(results);
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

    /**
     * A warning decided but not yet stored: its record, its jobs (none for a duplicate), and the commits of the
     * dedup entries it claimed, which its store waits for with its own rows.
     */
    private record Created(WarningRecord record, List<SmsJob> jobs, int tier, List<CompletableFuture<Void>> claimed) {
    }

    private Created create(WarningRequest request) {
        String id = TimeOrderedIds.next();
        return create(request, id, claims.claim(dedupKey(request), id, Set.of()), Instant.now(), Set.of());
    }

    private static String dedupKey(WarningRequest request) {
        return request.subscriber().e164() + "|" + request.tier();
    }

    /**
     * @param id    the new warning's id, in the dedup entry when {@code claim} is held
     * @param claim the dedup entry's claim: held, or naming the warning that holds it
     * @param unstoredHere the ids of the warnings stored together with this one (a batch)
     */
    private Created create(WarningRequest request, String id, DedupClaims.Claim claim, Instant now, Set<String> unstoredHere) {
        List<CompletableFuture<Void>> claimed = new ArrayList<>(2);
        claimed.add(claim.committed());
        if (!claim.held()) {
            return new Created(new WarningRecord(id, request, now, List.of(), claim.earlier()), List.of(), request.tier(),
                    claimed);
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
            DedupClaims.Claim tier1 = claims.claim(request.subscriber().e164() + "|1", id, unstoredHere);
            claimed.add(tier1.committed());
            if (tier1.held()) {
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
        return new Created(record, jobs, request.tier(), claimed);
    }

    /**
     * Writes the warnings and their jobs; returns once all of them, and the dedup entries they claimed, are in
     * the database (the entries' rows were queued first, so mostly they share the transaction). One warning: its
     * record is written by the cluster while its jobs are committed here, so the group commit can put both
     * in one transaction. Many: the records in one batch write, then the jobs in another (two transactions,
     * whatever the number of warnings). A batch's writes stay on this thread: waiting here for another task
     * of the same bounded executor could deadlock it.
     */
    private void store(List<Created> created) {
        Map<String, WarningRecord> records = new java.util.LinkedHashMap<>();
        List<SmsJob> jobs = new ArrayList<>();
        List<CompletableFuture<Void>> commits = new ArrayList<>(created.size() + 2);
        for (Created c : created) {
            records.put(c.record().id(), c.record());
            jobs.addAll(c.jobs());
            commits.addAll(c.claimed());
        }
        // A record lives job-retention from its creation, in memory and in its row: no pass has to read every
        // record to find the old ones (the purge did, every 5 minutes).
        CompletableFuture<Void> recordsStored = records.size() == 1
                ? warnings.create(created.get(0).record().id(), created.get(0).record(), config.jobRetention())
                : warnings.createAll(records, config.jobRetention());
        commits.add(recordsStored);
        commits.add(engine.storeAll(jobs));
        CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).join();
        for (Created c : created) {
            String result = c.record().duplicateOf().isEmpty() ? "created" : "duplicate";
            meters.counter("smpp.warnings", "tier", Integer.toString(c.tier()), "result", result).increment();
        }
    }

    /**
     * Removes the warnings this member owns that are older than {@code smpp.job-retention} (their jobs
     * are final by then: the config requires the retention to exceed retry max-age plus the receipt
     * timeout), from the map and, write-through, from the database. Returns how many it removed. Records
     * written by this release expire by themselves; this finds those an earlier release stored without a
     * time-to-live, so it runs every {@link #LEGACY_PURGE_EVERY}.
     */
    public int purgeExpired(Instant now) {
        Instant before = now.minus(config.jobRetention());
        int purged = 0;
        for (String id : warnings.localKeys()) {
            if (warnings.removeIf(id, w -> w.createdAt().isBefore(before))) {
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
        SmsJob draft = SmsJob.queued(TimeOrderedIds.next(), warningId, to.e164(), kind, text, reference, 1, now);
        int parts = engine.encode(draft).parts().size();
        return SmsJob.queued(draft.id(), warningId, to.e164(), kind, text, reference, parts, now);
    }
}
