package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
		n, err = st.Backup(f)
		st.Close()
	case survey.ErrorCode(err) == survey.EBUSY:
		// A running server holds the file: it makes the copy, from a read transaction that
		// sees one consistent state while staff keep answering.
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
	// The ballot keys of open surveys are copied after the database, so that every survey
	// open in the copy had its key on disk already (a key is made before its survey opens).
	keys, err := copyKeys(storage.KeyDir(e.DB), storage.KeyDir(*out))
	if err != nil {
		return fmt.Errorf("backup: ballot keys: %w", err)
	}
	if keys > 0 {
		fmt.Fprintf(e.Stdout, "%d ballot keys copied to %s/ (keep them with the backup and as private as the server: without them the open surveys' answers cannot be opened)\n", keys, storage.KeyDir(*out))
	}
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

// copyKeys copies the ballot key files of from into the directory to (mode 0700, files 0600),
// replacing what was there, and returns how many it copied. With no keys, a stale to is removed.
func copyKeys(from, to string) (int, error) {
	entries, err := os.ReadDir(from)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, os.RemoveAll(to)
	}
	if err != nil {
		return 0, err
	}
	tmp := to + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".key") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // its survey closed meanwhile: the key is destroyed, as it should be
		}
		if err != nil {
			return 0, err
		}
		if err := writeSynced(filepath.Join(tmp, e.Name()), data); err != nil {
			return 0, err
		}
		n++
	}
	if err := os.RemoveAll(to); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, os.RemoveAll(tmp)
	}
	return n, os.Rename(tmp, to)
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
