package io.steerguard.review;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.steerguard.classifier.Platt;

/**
 * The learned tier's calibration versions of one deployment, in {@code classifier-calibration.jsonl}:
 * one {@link CalibrationVersion} per line, checksummed, forced to disk before the version takes
 * effect. The file is the audit trail of every change (who, when, why, from which version, on how
 * many labels); the last line is the calibration in force; none means the shipped one (version 0).
 *
 * <p>Fails closed. A file with any damaged line (bad checksum, not a record, versions out of order,
 * a write torn by a crash) is not trusted at all: the shipped calibration is put in force, the file
 * is set aside as {@code classifier-calibration.jsonl.damaged-<millis>}, and a fresh file starts with
 * a {@code reset} record that names the damage, so the operator sees it in the history.
 */
public final class CalibrationStore implements Closeable {

    public static final String FILE_NAME = "classifier-calibration.jsonl";
    /** Actor of the reset record written after damage. */
    public static final String RECOVERY_ACTOR = "calibration-recovery";

    private final RecordLog log;
    private final CalibrationVersion shipped;
    private final List<CalibrationVersion> history = new ArrayList<>();
    private final String damage;

    private CalibrationStore(RecordLog log, CalibrationVersion shipped, List<CalibrationVersion> history, String damage) {
        this.log = log;
        this.shipped = shipped;
        this.history.addAll(history);
        this.damage = damage;
    }

    /**
     * Opens (creating) the calibration log in {@code dir}.
     *
     * @throws IOException only when the folder cannot be used at all (the caller then runs on the shipped calibration)
     */
    public static CalibrationStore open(Path dir, Platt shippedPlatt) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        RecordLog.Contents contents = RecordLog.read(file);
        List<CalibrationVersion> versions = new ArrayList<>();
        String damage = contents.damage() == null ? null : contents.damage().toString();
        for (int i = 0; damage == null && i < contents.records().size(); i++) {
            try {
                CalibrationVersion v = CalibrationVersion.parse(contents.records().get(i));
                if (v.version() != i + 1) {
                    throw new IllegalArgumentException("version " + v.version() + " where " + (i + 1) + " belongs");
                }
                versions.add(v);
            } catch (IllegalArgumentException e) {
                damage = "line " + (i + 1) + ": " + e.getMessage();
            }
        }
        CalibrationVersion shipped = CalibrationVersion.shipped(shippedPlatt);
        if (damage == null) {
            return new CalibrationStore(RecordLog.open(file), shipped, versions, null);
        }
        Path aside = RecordLog.setAside(file);
        String why = file + " is damaged (" + damage + "); it was set aside as " + aside.getFileName()
                + " and the shipped calibration is in force";
        CalibrationStore store = new CalibrationStore(RecordLog.open(file), shipped, List.of(), why);
        store.append(CalibrationVersion.Action.RESET, RECOVERY_ACTOR, why, shippedPlatt, -1, 0, 0, 0, Double.NaN, Double.NaN,
                Instant.now());
        return store;
    }

    /** What was wrong with the file at open, if anything. */
    public Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    public Path file() {
        return log.file();
    }

    public CalibrationVersion shipped() {
        return shipped;
    }

    /** The version in force. */
    public synchronized CalibrationVersion current() {
        return history.isEmpty() ? shipped : history.get(history.size() - 1);
    }

    /** Version {@code n}: 0 is the shipped one. */
    public synchronized Optional<CalibrationVersion> version(int n) {
        if (n == 0) {
            return Optional.of(shipped);
        }
        return n >= 1 && n <= history.size() ? Optional.of(history.get(n - 1)) : Optional.empty();
    }

    /** Every version written, oldest first (the shipped version 0 not included). */
    public synchronized List<CalibrationVersion> history() {
        return List.copyOf(history);
    }

    /** Writes the next version (forced to disk) and returns it; nothing changes when the write fails. */
    public synchronized CalibrationVersion append(CalibrationVersion.Action action, String actor, String reason, Platt platt,
                                                  int target, long labels, long refusals, long compliant, double lossBefore,
                                                  double lossAfter) throws IOException {
        return append(action, actor, reason, platt, target, labels, refusals, compliant, lossBefore, lossAfter, Instant.now());
    }

    private CalibrationVersion append(CalibrationVersion.Action action, String actor, String reason, Platt platt, int target,
                                      long labels, long refusals, long compliant, double lossBefore, double lossAfter,
                                      Instant time) throws IOException {
        CalibrationVersion next = new CalibrationVersion(history.size() + 1, time, action, actor, reason, platt,
                current().version(), target, labels, refusals, compliant, lossBefore, lossAfter);
        log.append(List.of(next.json()));
        history.add(next);
        return next;
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
