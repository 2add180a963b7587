package io.steerguard.review;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The human labels, latest per answer, kept in {@code review-labels.jsonl} (one {@link LabelRecord}
 * per line, checksummed, forced to disk before a label counts). Every label is a new line, so the
 * file is also the audit trail of who labelled what and what it replaced. At most {@code maxLabelled}
 * answers are remembered (the first labelled leave first); the file is compacted to the latest
 * label of each remembered answer once it holds twice as many lines.
 *
 * <p>A damaged line (bad checksum, not a record, a write torn by a crash) is not trusted: the labels
 * before it are kept, the file is set aside as {@code review-labels.jsonl.damaged-<millis>} for the
 * operator, a fresh file starts with the labels kept, and {@link #damage()} says so. Labels steer
 * calibration, never a block, so a damaged file never stops start-up.
 */
public final class LabelStore implements Closeable {

    public static final String FILE_NAME = "review-labels.jsonl";

    private final RecordLog log;
    private final int maxLabelled;
    private final LinkedHashMap<String, LabelRecord> latest = new LinkedHashMap<>();
    private final String damage;
    private long lines;
    private boolean mustCompact;

    private LabelStore(RecordLog log, int maxLabelled, List<String> records, String damage) {
        this.log = log;
        this.maxLabelled = maxLabelled;
        this.damage = damage;
        for (String json : records) {
            remember(LabelRecord.parse(json));
        }
        this.lines = records.size();
    }

    /** Opens (creating) the label log in {@code dir}. */
    public static LabelStore open(Path dir, int maxLabelled) throws IOException {
        if (maxLabelled < 1) {
            throw new IllegalArgumentException("maxLabelled must be at least 1, was " + maxLabelled);
        }
        Path file = dir.resolve(FILE_NAME);
        RecordLog.Contents contents = RecordLog.read(file);
        List<String> good = new ArrayList<>();
        RecordLog.Damage damage = contents.damage();
        for (int i = 0; i < contents.records().size(); i++) {
            try {
                LabelRecord.parse(contents.records().get(i));
                good.add(contents.records().get(i));
            } catch (IllegalArgumentException e) {
                damage = new RecordLog.Damage(i + 1, e.getMessage());
                break;
            }
        }
        String where = null;
        if (damage != null) {
            where = "line " + damage.line() + " of " + file + " is damaged (" + damage.message() + "); the "
                    + good.size() + " records before it are kept, the file is set aside as "
                    + RecordLog.setAside(file).getFileName();
        }
        RecordLog log = RecordLog.open(file);
        if (damage != null) {
            log.rewrite(good);
        }
        return new LabelStore(log, maxLabelled, good, where);
    }

    /** The first damaged line found at open, if any. */
    public Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    public Path file() {
        return log.file();
    }

    /** Writes {@code records} (forced to disk) and only then makes them the latest labels. */
    public synchronized void append(List<LabelRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        if (mustCompact) {
            log.rewrite(latest.values().stream().map(LabelRecord::json).toList());
            lines = latest.size();
            mustCompact = false;
        }
        log.append(records.stream().map(LabelRecord::json).toList());
        lines += records.size();
        records.forEach(this::remember);
        if (lines >= 2L * maxLabelled) {
            try {
                log.rewrite(latest.values().stream().map(LabelRecord::json).toList());
                lines = latest.size();
            } catch (IOException e) {
                // the labels are durable in the log; compaction is tried again on the next write
                mustCompact = true;
            }
        }
    }

    private void remember(LabelRecord r) {
        latest.remove(r.id()); // re-inserted last: a relabelled answer is the newest
        latest.put(r.id(), r);
        Iterator<String> oldest = latest.keySet().iterator();
        while (latest.size() > maxLabelled) {
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized Optional<LabelRecord> latest(String id) {
        return Optional.ofNullable(latest.get(id));
    }

    /** The latest label of every remembered answer, oldest first. */
    public synchronized List<LabelRecord> all() {
        return List.copyOf(latest.values());
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
