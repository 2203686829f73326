package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"staffsurvey/survey/storage/storagetest"
)

// TestControlSocket: with the most permissive umask, the socket is still reachable only
// through a 0700 directory, a backup comes through it, and a connection that sends nothing is
// dropped.
func TestControlSocket(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	defer func(h, i time.Duration) { controlHeaderTimeout, controlIdleTimeout = h, i }(controlHeaderTimeout, controlIdleTimeout)
	controlHeaderTimeout, controlIdleTimeout = 200*time.Millisecond, 200*time.Millisecond

	db := filepath.Join(t.TempDir(), "ctl.db")
	st := storagetest.MustOpenAt(t, db)
	defer st.Close()
	stop, err := serveControl(context.Background(), st, db)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	tests := []struct {
		path string
		want os.FileMode
	}{
		{controlDir(db), os.ModeDir | 0o700},
	}
	for _, tt := range tests {
		fi, err := os.Lstat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != tt.want {
			t.Errorf("%s: got mode %v; want %v", tt.path, got, tt.want)
		}
	}
	if filepath.Dir(controlPath(db)) != controlDir(db) {
		t.Errorf("socket %s is not inside %s", controlPath(db), controlDir(db))
	}

	var buf bytes.Buffer
	if n, err := backupFromServer(context.Background(), db, &buf); err != nil || n == 0 {
		t.Fatalf("backup through the socket: %d bytes, %v", n, err)
	}

	c, err := net.Dial("unix", controlPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Errorf("an idle connection got data; want it closed")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("an idle connection was still open after %v; want it closed by the server", time.Since(start))
	}

	// A second server on the same database is refused while the first one runs.
	if _, err := serveControl(context.Background(), st, db); err == nil {
		t.Errorf("second control server: got nil; want busy")
	}
}

func TestMakePrivateDirRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	if err := os.Mkdir(target, 0o777); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "x.ctl")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := makePrivateDir(link); err == nil {
		t.Errorf("symlinked control directory: got nil; want an error")
	}
}
