package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The audit log: who did what on the admin side, and when. It is append-only and keyed by a
// big-endian sequence number, so that a cursor walks it in order.
//
// It must never hold anything about a respondent: no token (not even a hash), no response,
// no per-response event — only actions of signed-in users and of the command line, with counts
// and section codes where a count is what matters (docs/anonymity.md, "Audit log").

var bucketAudit = []byte("audit") // seq (uint64 BE) → AuditEvent JSON

// AuditEvent is one entry of the audit log.
type AuditEvent struct {
	Seq    uint64    `json:"-"`
	Time   time.Time `json:"time"`
	User   string    `json:"user"`             // who: a user name, "(cli)", or the name tried at a failed sign-in
	Client string    `json:"client,omitempty"` // the client address, for web actions
	Action string    `json:"action"`           // e.g. "login", "login.fail", "survey.close", "tokens.issue"
	Target string    `json:"target,omitempty"` // a survey id or user name
	Detail string    `json:"detail,omitempty"` // counts, sections, roles: never a token or an answer
}

// Audit appends e to the audit log, setting its time when zero.
func (s *Store) Audit(e AuditEvent) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAudit)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, seq), data)
	})
}

// AuditLog returns up to limit events, newest first, whose sequence is below before (0: from
// the newest), and the total count of events.
func (s *Store) AuditLog(before uint64, limit int) ([]AuditEvent, int, error) {
	var out []AuditEvent
	total := 0
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		total = b.Stats().KeyN
		c := b.Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else {
			c.Seek(binary.BigEndian.AppendUint64(nil, before))
			k, v = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			e, err := decodeAudit(k, v)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, total, err
}

// EachAudit calls fn for every event, newest first, reading the log in chunks of bounded
// size so that no read transaction stays open while fn writes to a slow client.
func (s *Store) EachAudit(fn func(AuditEvent) error) error {
	var before uint64
	for {
		page, _, err := s.AuditLog(before, 1000)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < 1000 {
			return nil
		}
		before = page[len(page)-1].Seq
	}
}

func decodeAudit(k, v []byte) (AuditEvent, error) {
	var e AuditEvent
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("decode audit event: %w", err)
	}
	e.Seq = binary.BigEndian.Uint64(k)
	return e, nil
}
