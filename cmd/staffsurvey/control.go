package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// The control socket lets commands that need the live database reach a running server, which
// holds the file's lock: `backup` streams its copy through it. It is a Unix socket beside the
// database with mode 0600, so only whoever may read the database file may use it.

func controlPath(db string) string { return db + ".sock" }

// serveControl serves the control socket until ctx ends.
func serveControl(ctx context.Context, st *storage.Store, db string) (func(), error) {
	path := controlPath(db)
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return nil, survey.Errorf(survey.EBUSY, "%s は別のサーバーが使用中です", "%s is used by another server", path)
	}
	os.Remove(path) // stale, from a server that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := st.Backup(w); err != nil {
			panic(http.ErrAbortHandler) // the client sees a truncated body and fails
		}
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return func() { hs.Close(); os.Remove(path) }, nil
}

// backupFromServer asks a running server for a backup through the control socket.
func backupFromServer(ctx context.Context, db string, w io.Writer) (int64, error) {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", controlPath(db))
		},
	}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://control/backup", nil)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("control socket: %s", resp.Status)
	}
	n, err := io.Copy(w, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = errors.New("backup truncated")
	}
	return n, err
}
