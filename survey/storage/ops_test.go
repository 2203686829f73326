package storage_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// TestAuditLogPages: events come back newest first, a page at a time, and all of them through
// EachAudit.
func TestAuditLogPages(t *testing.T) {
	st := MustOpenStore(t)
	for i := range 2500 {
		if err := st.Audit(storage.AuditEvent{User: "admin", Action: fmt.Sprintf("a%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := st.AuditLog(0, 10)
	if err != nil || total != 2500 || len(page) != 10 || page[0].Action != "a2499" || page[0].Seq != 2500 {
		t.Fatalf("first page: %d events of %d, first %+v, %v", len(page), total, page[0], err)
	}
	next, _, _ := st.AuditLog(page[9].Seq, 10)
	if next[0].Action != "a2489" {
		t.Errorf("second page starts with %s; want a2489", next[0].Action)
	}
	n := 0
	last := uint64(1 << 62)
	err = st.EachAudit(func(e storage.AuditEvent) error {
		if e.Seq >= last {
			t.Fatalf("not newest first: %d after %d", e.Seq, last)
		}
		last = e.Seq
		n++
		return nil
	})
	if err != nil || n != 2500 {
		t.Errorf("EachAudit: %d events, %v", n, err)
	}
}

// TestSessions: stored by hash, found, and dropped by user.
func TestSessions(t *testing.T) {
	st := MustOpenStore(t)
	now := time.Now().UTC().Truncate(time.Second)
	a, b := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	st.PutSession(a, storage.Session{User: "tanaka", CSRF: "x", Created: now, Seen: now})
	st.PutSession(b, storage.Session{User: "sato", CSRF: "y", Created: now, Seen: now})
	if s, ok, err := st.Session(a); !ok || err != nil || s.User != "tanaka" || !s.Created.Equal(now) {
		t.Errorf("session a: %+v %v %v", s, ok, err)
	}
	if n, err := st.DeleteSessions(func(s storage.Session) bool { return s.User == "tanaka" }); n != 1 || err != nil {
		t.Errorf("DeleteSessions: %d, %v", n, err)
	}
	if _, ok, _ := st.Session(a); ok {
		t.Error("tanaka's session survived")
	}
	if _, ok, _ := st.Session(b); !ok {
		t.Error("sato's session was dropped")
	}
}

// TestVoidTokens: unused tokens become unknown, used ones stay, counts leave voided out.
func TestVoidTokens(t *testing.T) {
	st := MustOpenStore(t)
	q := mustOpenSurvey(t, st)
	tokens, err := st.IssueTokens(q.ID, "madoguchi", 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Submit(tokens[0], answered(q, "", 3)); err != nil {
		t.Fatal(err)
	}
	n, err := st.VoidTokens(q.ID, append(tokens, "not-a-token", survey.NewToken()))
	if err != nil || n != 3 {
		t.Fatalf("VoidTokens: %d, %v; want 3", n, err)
	}
	for _, tok := range tokens[1:] {
		if _, err := st.Redeemable(tok); err != survey.ErrTokenUnknown {
			t.Errorf("voided token: %v; want ErrTokenUnknown", err)
		}
		if err := st.Submit(tok, answered(q, "", 3)); err != survey.ErrTokenUnknown {
			t.Errorf("submit with a voided token: %v; want ErrTokenUnknown", err)
		}
	}
	if _, err := st.Redeemable(tokens[0]); err != survey.ErrTokenUsed {
		t.Errorf("used token: %v", err)
	}
	c, _ := st.TokenCounts(q.ID)
	if got := c["madoguchi"]; got.Issued != 1 || got.Used != 1 || got.Voided != 3 {
		t.Errorf("counts %+v; want issued 1 used 1 voided 3", got)
	}
	if _, err := st.VoidTokens("nope", tokens); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown survey: %v", err)
	}
}
