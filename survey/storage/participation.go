package storage

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// Participation — which tokens were used — is kept so that a copy of the database alone does
// not tell it (docs/anonymity.md, "Participation"). A token's own record never changes when it is
// used: the use is a *used mark* in another bucket, under HMAC-SHA-256(participation key,
// SHA-256(token)), with the token's section as its value. The participation key is a random
// secret of the database kept in a file beside it (ParticipationKeyPath, mode 0600), never inside
// it and never in a web backup. Without the key, the marks are random strings: a copy of the
// file, or several taken at different times, shows how many tokens of each section were used
// (which the response-rate page shows anyway) and never which. With the key the server finds a
// token's mark in one lookup. Closing a survey turns its marks into per-section counts, deletes
// them and compacts the file, so that afterwards not even the key tells which tokens were used.
//
// The key is not the ballot key: it protects who took part, not what they answered, and the
// server needs it for every answer while any survey is open.
var bucketUsed = []byte("used") // id → {HMAC(participation key, sha256(token)) → section}

// ParticipationKeyPath returns the file of the participation key of the database at db.
func ParticipationKeyPath(db string) string { return db + ".participation" }

// participationCheckName names the HMAC of participationCheckText under the key, kept in
// bucketMeta: a key file that does not give it is another database's, found before any token is
// misjudged as unused.
var participationCheckName = []byte("participation-key-check")

const participationCheckText = "staffsurvey participation key check"

// participationKey returns the database's participation key, reading its file once, or making
// it (file first, durably, then its check in the database) when the database has never had one.
// A database that had one and has lost its file gets errParticipationKey: without the key every
// used token would look unused, and could answer again.
func (s *Store) participationKey() ([]byte, error) {
	s.partMu.Lock()
	defer s.partMu.Unlock()
	if s.partKey != nil {
		return s.partKey, nil
	}
	path := ParticipationKeyPath(s.path)
	key, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, errParticipationKey(path, err)
	}
	var check []byte
	if err := s.view(func(tx *bolt.Tx) error {
		check = bytes.Clone(tx.Bucket(bucketMeta).Get(participationCheckName))
		return nil
	}); err != nil {
		return nil, err
	}
	switch {
	case key == nil && check != nil:
		return nil, errParticipationKey(path, fs.ErrNotExist)
	case key == nil:
		if key, err = createParticipationKey(path); err != nil {
			return nil, errParticipationKey(path, err)
		}
	case len(key) != sha256.Size:
		return nil, errParticipationKey(path, fmt.Errorf("%d bytes; want %d", len(key), sha256.Size))
	case check != nil && !hmac.Equal(check, mac(key, []byte(participationCheckText))):
		return nil, errParticipationKey(path, errors.New("the key does not match this database"))
	}
	if check == nil {
		err := s.update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(participationCheckName, mac(key, []byte(participationCheckText)))
		})
		if err != nil {
			return nil, err
		}
	}
	if err := s.moveUsedFlags(key); err != nil {
		return nil, err
	}
	s.partKey = key
	return key, nil
}

// loadedParticipationKey returns the participation key that participationKey has read, for use
// inside a transaction (where participationKey, which may write, cannot run).
func (s *Store) loadedParticipationKey() ([]byte, error) {
	s.partMu.Lock()
	defer s.partMu.Unlock()
	if s.partKey == nil {
		return nil, errors.New("participation key used before it was read")
	}
	return s.partKey, nil
}

// createParticipationKey writes a fresh key to path durably (file and directory synced).
func createParticipationKey(path string) ([]byte, error) {
	key := make([]byte, sha256.Size)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".participation-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(key)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Link, not rename: never replace a key another process made meanwhile.
		err = os.Link(tmp.Name(), path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	return key, err
}

func errParticipationKey(path string, err error) error {
	return &survey.Error{Code: survey.EINTERNAL, Err: fmt.Errorf("participation key %s: %w", path, err), Message: survey.Text{
		JA: fmt.Sprintf("回答用コードの使用記録の鍵 %s を読めないか、このデータベースのものではありません。サーバーのバックアップ（staffsurvey backup がデータベースの横に作る .participation ファイル）から戻してください。鍵がないと、使用済みのコードを見分けられません。", path),
		EN: fmt.Sprintf("the participation key %s cannot be read or belongs to another database. Restore it from the server's backup (the .participation file staffsurvey backup writes beside the database copy): without it, used answer codes cannot be told from unused ones.", path)}}
}

func mac(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// usedMark returns the key of the used mark of the token whose hash is h: mac(key, h), from a
// keyed HMAC kept for the next call (hmac.New allocates two hashes and the pads, and every
// submission computes a mark).
func usedMark(key, h []byte) []byte {
	m, _ := marks.Get().(*keyedMAC)
	if m == nil || !bytes.Equal(m.key, key) {
		m = &keyedMAC{key: bytes.Clone(key), h: hmac.New(sha256.New, key)}
	}
	m.h.Reset()
	m.h.Write(h)
	out := m.h.Sum(make([]byte, 0, sha256.Size))
	marks.Put(m)
	return out
}

// marks holds *keyedMAC for usedMark.
var marks sync.Pool

// keyedMAC is an HMAC-SHA-256 under key, reset before each use.
type keyedMAC struct {
	key []byte
	h   hash.Hash
}

// isUsed reports whether the token of survey id whose record is rec and whose used mark is
// mark (usedMark of its hash) was used.
func isUsed(tx *bolt.Tx, id string, mark, rec []byte) bool {
	if rec[0] == tokenUsed { // a flag left by an earlier version (moveUsedFlags moves them)
		return true
	}
	b := tx.Bucket(bucketUsed).Bucket([]byte(id))
	return b != nil && b.Get(mark) != nil
}

// markUsed records inside tx that the token of survey id and section whose used mark is mark
// (usedMark of its hash) was used. The token's own record is left as it was, so that copies
// taken before and after differ only in a mark nobody can link to a token without the key.
func markUsed(tx *bolt.Tx, id, section string, mark []byte) error {
	b, err := tx.Bucket(bucketUsed).CreateBucketIfNotExists([]byte(id))
	if err != nil {
		return err
	}
	return b.Put(mark, []byte(section))
}

// countUsed adds the used marks of survey id to out, per section.
func countUsed(tx *bolt.Tx, id string, out map[string]TokenCount) error {
	b := tx.Bucket(bucketUsed).Bucket([]byte(id))
	if b == nil {
		return nil
	}
	return b.ForEach(func(_, section []byte) error {
		c := out[string(section)]
		c.Used++
		out[string(section)] = c
		return nil
	})
}

// dropUsed deletes the used marks of survey id (at close, after they are counted).
func dropUsed(tx *bolt.Tx, id string) error {
	if tx.Bucket(bucketUsed).Bucket([]byte(id)) == nil {
		return nil
	}
	return tx.Bucket(bucketUsed).DeleteBucket([]byte(id))
}

// moveUsedFlags turns the used flags an earlier version wrote into the tokens' records of
// surveys not yet closed into used marks, and compacts the file so that no freed page keeps
// them. It does nothing (and writes nothing) when there are none.
func (s *Store) moveUsedFlags(key []byte) error {
	type flag struct{ id, h, section []byte }
	var flags []flag
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(id, v []byte) error {
			if v != nil {
				return nil
			}
			return tx.Bucket(bucketTokens).Bucket(id).ForEach(func(h, v []byte) error {
				if v[0] == tokenUsed {
					flags = append(flags, flag{bytes.Clone(id), bytes.Clone(h), bytes.Clone(v[1:])})
				}
				return nil
			})
		})
	})
	if err != nil || len(flags) == 0 {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		for _, f := range flags {
			if err := markUsed(tx, string(f.id), string(f.section), usedMark(key, f.h)); err != nil {
				return err
			}
			if err := tx.Bucket(bucketTokens).Bucket(f.id).Put(f.h, tokenValue(false, string(f.section))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move used flags: %w", err)
	}
	return s.compact(nil)
}
