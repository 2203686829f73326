package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// The control socket lets commands that need the live database reach a running server, which
// holds the file's lock: `backup` streams its copy through it. It lives in a directory beside
// the database, <db>.ctl/, that is created 0700 before the socket is made in it, so that the
// process umask never leaves a moment in which another user could connect; the server also
// accepts only connections from its own user (SO_PEERCRED), and drops idle ones.

// Timeouts of the control server: a client must send its request promptly, and an idle
// connection is closed. Variables so that a test can shorten them.
var (
	controlHeaderTimeout = 10 * time.Second
	controlIdleTimeout   = 30 * time.Second
)

func controlDir(db string) string  { return db + ".ctl" }
func controlPath(db string) string { return filepath.Join(controlDir(db), "sock") }

// makePrivateDir creates dir with mode 0700, or checks an existing one: a real directory (not
// a symlink) owned by this user, whose mode it then sets to 0700.
func makePrivateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s is not a directory owned by this user", dir)
	}
	return os.Chmod(dir, 0o700)
}

// serveControl serves the control socket until ctx ends.
func serveControl(ctx context.Context, st *storage.Store, db string) (func(), error) {
	path := controlPath(db)
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return nil, survey.Errorf(survey.EBUSY, "%s は別のサーバーが使用中です", "%s is used by another server", path)
	}
	if err := makePrivateDir(controlDir(db)); err != nil {
		return nil, &survey.Error{Code: survey.EINVALID, Err: err, Message: survey.Text{
			JA: fmt.Sprintf("制御用フォルダ %s を作成できません: %v", controlDir(db), err),
			EN: fmt.Sprintf("cannot create the control folder %s: %v", controlDir(db), err)}}
	}
	os.Remove(path) // stale, from a server that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		// The copy goes to an unlinked temporary file first, so that no read transaction
		// waits on the client (a stopped or slow `backup` would otherwise hold the database).
		f, err := os.CreateTemp("", "staffsurvey-backup-*")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		os.Remove(f.Name())
		defer f.Close()
		bw := bufio.NewWriterSize(f, 256<<10)
		// Recorded before the copy is made, so that the copy holds its own record too.
		auditCLI(st, os.Stderr, "backup", "(control socket)", "")
		n, err := st.Backup(bw)
		if err == nil {
			err = bw.Flush()
		}
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		if _, err := io.Copy(w, f); err != nil {
			panic(http.ErrAbortHandler) // the client sees a truncated body and fails
		}
	})
	mux.HandleFunc("GET /audit", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		if err := writeAuditCSV(w, st); err != nil {
			panic(http.ErrAbortHandler) // the client sees a truncated body and fails
		}
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: controlHeaderTimeout, ReadTimeout: controlHeaderTimeout,
		IdleTimeout: controlIdleTimeout}
	go hs.Serve(sameUser{ln.(*net.UnixListener)})
	return func() { hs.Close(); os.Remove(path); os.Remove(controlDir(db)) }, nil
}

// sameUser accepts only connections whose peer runs as this process's user.
type sameUser struct{ *net.UnixListener }

func (l sameUser) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		if peerUID(c) == os.Getuid() {
			return c, nil
		}
		c.Close()
	}
}

// peerUID returns the user id of the process at the other end of c, or −1.
func peerUID(c *net.UnixConn) int {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1
	}
	uid := -1
	raw.Control(func(fd uintptr) {
		if cred, err := syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED); err == nil {
			uid = int(cred.Uid)
		}
	})
	return uid
}

// backupFromServer asks a running server for a backup through the control socket.
func backupFromServer(ctx context.Context, db string, w io.Writer) (int64, error) {
	return fromServerN(ctx, db, "/backup", w)
}

// fromServer copies what a running server answers at path of its control socket to w.
func fromServer(ctx context.Context, db, path string, w io.Writer) error {
	_, err := fromServerN(ctx, db, path, w)
	return err
}

func fromServerN(ctx context.Context, db, path string, w io.Writer) (int64, error) {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", controlPath(db))
		},
	}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://control"+path, nil)
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
