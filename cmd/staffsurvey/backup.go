package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := flags("backup")
	out := fs.String("out", "", "backup file")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "out"); err != nil {
		return err
	}
	// Write to a temporary name and rename, so a failed backup never leaves a partial file
	// under the name the operator asked for.
	tmp := *out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return survey.Errorf(survey.EINVALID, "%s に書き込めません: %v", "cannot write %s: %v", *out, err)
	}
	var n int64
	st, err := e.openStore()
	switch {
	case err == nil:
		// Recorded before the copy is made, so that the copy holds its own record too.
		auditCLI(st, e.Stderr, "backup", *out, "")
		n, err = st.Backup(f)
		st.Close()
	case survey.ErrorCode(err) == survey.EBUSY:
		// A running server holds the file: it makes the copy, from a read transaction that
		// sees one consistent state while staff keep answering, and records it in the audit log.
		n, err = backupFromServer(ctx, e.DB, f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, *out)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.Stdout, "%d bytes written to %s\n", n, *out)
	// The participation key, without which a restored copy cannot tell used tokens from unused
	// ones (and so takes no answers), goes beside the copy the same way.
	key, err := os.ReadFile(storage.ParticipationKeyPath(e.DB))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("backup: participation key: %w", err)
	}
	dst := storage.ParticipationKeyPath(*out)
	os.Remove(dst)
	if err := writeSynced(dst, key); err != nil {
		return fmt.Errorf("backup: participation key: %w", err)
	}
	fmt.Fprintf(e.Stdout, "participation key copied to %s (keep it with the backup and as private as the server: with it, the copy tells which answer codes were used)\n", dst)
	return nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
