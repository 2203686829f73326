package storage

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
)

// The ballot box (投票箱, docs/anonymity.md, rules 3 and 4) as earlier versions made it, and what
// every close shares. box.go seals to a public key whose private key only the custodians'
// shares rebuild; surveys opened by the version before sealed with AES-256-GCM under a key
// kept in a file beside the database, <db>.keys/<survey>.key (0600 in a 0700 directory), and
// still take answers and close with it; nothing writes such a file any more. The rest of this
// file is the same for both: padding to size classes, opening the box generalised, compaction. Closing opens the box in one transaction, generalises
// every section to the nearest group that the suppression rules leave shown, destroys the key and compacts
// the file, so that no freed page keeps a sealed record, an older record or the token state
// of the open survey.

// ballotKeySize is the size of a ballot key: AES-256.
const ballotKeySize = 32

// sealClasses are the sizes a padded record is rounded up to before sealing; records larger
// than the last class are rounded up to a multiple of it. Few, wide classes: a response with
// no comment or a short one (up to about 150 Japanese characters) fills the first, one with up
// to about 1,300 characters the second. A record's length then says "a short, a long or a very
// long comment" and nothing about its section or answers; the rarer the class, the more it
// stands out (survey/doc.go, Caveats).
var sealClasses = []int{512, 4 << 10, 32 << 10}

// KeyDir returns the directory of the ballot keys of the database at db.
func KeyDir(db string) string { return db + ".keys" }

func (s *Store) keyPath(id string) string { return filepath.Join(KeyDir(s.path), id+".key") }

// keyExists reports whether survey id's key file exists (or cannot be told not to).
func (s *Store) keyExists(id string) bool {
	_, err := os.Stat(s.keyPath(id))
	return !errors.Is(err, fs.ErrNotExist)
}

// ErrKeyMissing is returned when an open survey's ballot key file is missing or damaged:
// its sealed responses cannot be opened. Nothing is changed; restoring the key file from the
// backup made with the database (staffsurvey backup copies it) lets the survey close.
func errKeyMissing(id, path string, err error) error {
	return &survey.Error{Code: survey.ESTATE, Err: err, Message: survey.Text{
		JA: fmt.Sprintf("調査 %q の投票箱の鍵 %s がないか壊れているため、封をした回答を開けません。何も変更していません。バックアップの鍵ファイル（バックアップ名.keys/ 内）を %s に戻してから、もう一度実行してください。", id, path, path),
		EN: fmt.Sprintf("the ballot key %s of survey %q is missing or damaged, so its sealed responses cannot be opened. Nothing was changed. Put the key file back from the backup (inside BACKUP.keys/) at %s and try again.", path, id, path)}}
}

// errKeyWrong is returned when a sealed response does not open with the key file: another
// survey's or another database's key was put in place. Nothing is changed.
func errKeyWrong(id, path string, err error) error {
	return &survey.Error{Code: survey.ESTATE, Err: err, Message: survey.Text{
		JA: fmt.Sprintf("調査 %q の封をした回答が投票箱の鍵 %s で開けません（別の調査かデータベースの鍵ではありませんか）。何も変更していません。このデータベースと同時に取ったバックアップの鍵を戻してください。", id, path),
		EN: fmt.Sprintf("the sealed responses of survey %q do not open with the ballot key %s (is it another survey's or another database's key?). Nothing was changed. Put back the key backed up with this database.", id, path)}}
}

// keyCheckText is sealed under a survey's ballot key when it opens and kept in the database
// (bucketMeta, keyCheckName): a key file that does not open it is the wrong key, found before
// anything is sealed with it or a close starts. It says nothing about the key.
const keyCheckText = "staffsurvey ballot key check"

func keyCheckName(id string) []byte { return []byte("ballot-key-check/" + id) }

// keyCheck returns the stored key check of survey id (a copy), or nil.
func keyCheck(tx *bolt.Tx, id string) []byte {
	return bytes.Clone(tx.Bucket(bucketMeta).Get(keyCheckName(id)))
}

// key returns the ballot key of survey id, reading its file once per process and checking it
// against check, the sealed keyCheckText stored when the survey opened (nil: no check).
func (s *Store) key(id string, check []byte) (cipher.AEAD, error) {
	s.keyMu.RLock()
	aead := s.keys[id]
	s.keyMu.RUnlock()
	if aead != nil {
		return aead, nil
	}
	path := s.keyPath(id)
	key, err := os.ReadFile(path)
	if err == nil && len(key) != ballotKeySize {
		err = fmt.Errorf("%s: %d bytes, want %d", path, len(key), ballotKeySize)
	}
	if err != nil {
		return nil, errKeyMissing(id, path, err)
	}
	if aead, err = newAEAD(key); err != nil {
		return nil, err
	}
	if check != nil {
		if text, err := unseal(aead, id, check); err != nil || string(text) != keyCheckText {
			return nil, errKeyWrong(id, path, err)
		}
	}
	s.keyMu.Lock()
	s.keys[id] = aead
	s.keyMu.Unlock()
	return aead, nil
}

// openWithKeyFile opens draft survey id as the version before the custodians did: an AES key
// in <db>.keys/<id>.key and its key check in the database, no ballot box. Nothing in the
// binary calls it: only the tests (export_test.go) and loadgen's AES-GCM measurement (a build
// with -tags loadtest, loadtest.go) write a key file now.
func openWithKeyFile(s *Store, id string) error {
	dir := KeyDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	key := make([]byte, ballotKeySize)
	rand.Read(key)
	if err := os.WriteFile(s.keyPath(id), key, 0o600); err != nil {
		return err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	check, err := seal(aead, id, []byte(keyCheckText))
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keyCheckName(id), check); err != nil {
			return err
		}
		st.State = survey.StateOpen
		return putState(tx, id, st)
	})
}

// sealWithKeyFile seals a record of survey id, opened by the version before the custodians,
// with its key file (read once, then kept by key).
func (s *Store) sealWithKeyFile(tx *bolt.Tx, id string, record []byte) ([]byte, error) {
	check := keyCheck(tx, id)
	if check == nil && !s.keyExists(id) {
		return nil, survey.Errorf(survey.ESTATE,
			"調査 %q は投票箱のない版で開始されたため、回答を封をして保存できません。終了してから、開票立会人を指定して新しい調査として開始してください。",
			"survey %q was opened by a version without a ballot box, so answers cannot be stored sealed. Close it and open a new survey with custodians.", id)
	}
	aead, err := s.key(id, check)
	if err != nil {
		return nil, err
	}
	return seal(aead, id, record)
}

// destroyKey removes survey id's key file and syncs its directory, so that the removal is
// durable before the store goes on; removing a key that is gone already is not an error.
func (s *Store) destroyKey(id string) error {
	s.keyMu.Lock()
	delete(s.keys, id)
	s.keyMu.Unlock()
	err := os.Remove(s.keyPath(id))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("destroy ballot key: %w", err)
	}
	if err := syncDir(KeyDir(s.path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("destroy ballot key: %w", err)
	}
	return nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("ballot key: %w", err)
	}
	return cipher.NewGCM(block)
}

// syncDir makes a rename or removal in dir durable. (A variable: the tests make it fail.)
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// sealedSize returns the padded size for a plaintext of n bytes (its 4-byte length included).
func sealedSize(n int) int {
	for _, c := range sealClasses {
		if n <= c {
			return c
		}
	}
	last := sealClasses[len(sealClasses)-1]
	return (n + last - 1) / last * last
}

// seal encrypts and authenticates a response record for survey id: nonce ‖ GCM(len ‖ record ‖
// zero padding). The survey id is bound as additional data, so a record cannot be moved to
// another survey's box.
func seal(aead cipher.AEAD, id string, record []byte) ([]byte, error) {
	size := sealedSize(4 + len(record))
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+size+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	plain := make([]byte, size)
	binary.BigEndian.PutUint32(plain, uint32(len(record)))
	copy(plain[4:], record)
	return aead.Seal(out, out, plain, []byte(id)), nil
}

// unseal reverses seal.
func unseal(aead cipher.AEAD, id string, sealed []byte) ([]byte, error) {
	ns := aead.NonceSize()
	if len(sealed) < ns {
		return nil, errors.New("sealed record too short")
	}
	plain, err := aead.Open(nil, sealed[:ns], sealed[ns:], []byte(id))
	if err != nil {
		return nil, fmt.Errorf("open sealed record: %w", err)
	}
	n := binary.BigEndian.Uint32(plain)
	if uint64(n) > uint64(len(plain)-4) {
		return nil, errors.New("open sealed record: bad length")
	}
	return plain[4 : 4+n], nil
}

// openBox stores rs, responses with their true leaf sections, into survey q's responses
// under fresh random keys, generalised (docs/anonymity.md, rule 4) for the respondent counts of the
// survey with rs added: each response under the nearest group that suppression rules a and b leave shown, its
// comments apart from it under the nearest group where comments may be shown when its group
// may not show them. Responses and comments stored before (an import appended to earlier
// ones) move up when the new counts hide their group. The counts, respondents per section
// code as recorded, are kept for the reports. It runs inside the caller's transaction.
func openBox(tx *bolt.Tx, q *survey.Questionnaire, rs []*survey.Response) error {
	if q.HasAttributes() {
		return openBoxSums(tx, q, len(rs), func(fn func(*survey.Response) error) error {
			for _, r := range rs {
				if err := fn(r); err != nil {
					return err
				}
			}
			return nil
		})
	}
	id := []byte(q.ID)
	cb, err := tx.Bucket(bucketCounts).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	own := map[string]int{}
	if err := cb.ForEach(func(k, v []byte) error {
		own[string(k)] = int(binary.BigEndian.Uint64(v))
		return nil
	}); err != nil {
		return err
	}
	rb := tx.Bucket(bucketResponses).Bucket(id)
	if k, _ := rb.Cursor().First(); len(own) == 0 && k != nil {
		// Responses stored before the ballot box: with their leaf sections and no counts.
		// They are counted and generalised like the new ones.
		var legacy []*survey.Response
		var keys [][]byte
		r := &survey.Response{Survey: q.ID}
		if err := rb.ForEach(func(k, v []byte) error {
			if err := r.UnmarshalBinary(v); err != nil {
				return err
			}
			legacy, keys = append(legacy, r.Clone()), append(keys, k)
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := rb.Delete(k); err != nil {
				return err
			}
		}
		rs = append(legacy, rs...)
	}
	for _, r := range rs {
		own[r.Section]++
	}
	g := survey.Generalise(q, own)
	for code, n := range own {
		if err := cb.Put([]byte(code), binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
			return err
		}
	}
	comments, err := tx.Bucket(bucketComments).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	// Earlier records whose group the new counts hide move up, under fresh keys.
	var moved []*survey.Response
	var old [][]byte
	r := &survey.Response{Survey: q.ID}
	if err := rb.ForEach(func(k, v []byte) error {
		if err := r.UnmarshalBinary(v); err != nil {
			return err
		}
		if g.Section(r.Section) != r.Section || g.Comments(r.Section) != r.Section && hasComment(r) {
			moved, old = append(moved, r.Clone()), append(old, k)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range old {
		if err := rb.Delete(k); err != nil {
			return err
		}
	}
	var oldComments [][]byte
	var movedComments []detachedComment
	if err := comments.ForEach(func(k, v []byte) error {
		c, err := decodeComment(v)
		if err != nil {
			return err
		}
		if to := g.Comments(c.section); to != c.section {
			c.section = to
			oldComments, movedComments = append(oldComments, k), append(movedComments, c)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range oldComments {
		if err := comments.Delete(k); err != nil {
			return err
		}
	}
	if err := putComments(comments, movedComments); err != nil {
		return err
	}
	return putOpened(rb, comments, g, append(moved, rs...))
}

func hasComment(r *survey.Response) bool {
	for _, c := range r.Comments {
		if c != "" {
			return true
		}
	}
	return false
}

// putOpened stores responses generalised by g, each under a fresh random key in key order
// (putInKeyOrder: it makes closing a survey of 100,000 responses take seconds instead of
// minutes, and key order, as ever, says nothing about the order of rs); rs are not changed.
func putOpened(rb, comments *bolt.Bucket, g *survey.Generalisation, rs []*survey.Response) error {
	records := make([][]byte, 0, len(rs))
	var detached []detachedComment
	for _, r := range rs {
		out := *r
		out.Section = g.Section(r.Section)
		if to := g.Comments(r.Section); to != out.Section && hasComment(r) {
			out.Comments = make([]string, len(r.Comments))
			for i, text := range r.Comments {
				if text != "" {
					detached = append(detached, detachedComment{section: to, question: i, text: text})
				}
			}
		}
		data, err := out.MarshalBinary()
		if err != nil {
			return err
		}
		records = append(records, data)
	}
	if err := putInKeyOrder(rb, records); err != nil {
		return err
	}
	return putComments(comments, detached)
}

// putInKeyOrder stores each value under a fresh random UUIDv4 key. Every key is drawn before
// any is stored, independently of the order of values, and the records are put in key order:
// bbolt then appends to its pages instead of moving half a page per record.
func putInKeyOrder(b *bolt.Bucket, values [][]byte) error {
	type record struct {
		key  uuid.UUID
		data []byte
	}
	records := make([]record, len(values))
	for i, v := range values {
		records[i] = record{uuid.New(), v}
	}
	slices.SortFunc(records, func(a, b record) int { return bytes.Compare(a.key[:], b.key[:]) })
	for _, rec := range records {
		if err := b.Put(rec.key[:], rec.data); err != nil {
			return err
		}
	}
	return nil
}

// detachedComment is a comment stored apart from its answers (docs/anonymity.md, rule 4): its
// section, the index of its question in Questionnaire.Comments, and its text. Each is a
// record of its own under a random key, so not even the comments of one respondent stay together.
type detachedComment struct {
	section  string
	question int
	text     string
}

const commentVersion = 1

// putComments stores comments apart from their answers, each under a fresh random key, in
// key order (putInKeyOrder).
func putComments(b *bolt.Bucket, cs []detachedComment) error {
	values := make([][]byte, len(cs))
	for i, c := range cs {
		values[i] = encodeComment(c)
	}
	return putInKeyOrder(b, values)
}

func encodeComment(c detachedComment) []byte {
	v := []byte{commentVersion}
	v = binary.AppendUvarint(v, uint64(len(c.section)))
	v = append(v, c.section...)
	v = binary.AppendUvarint(v, uint64(c.question))
	return append(v, c.text...)
}

func decodeComment(v []byte) (detachedComment, error) {
	bad := errors.New("decode comment: corrupt record")
	if len(v) < 1 || v[0] != commentVersion {
		return detachedComment{}, bad
	}
	v = v[1:]
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return detachedComment{}, bad
	}
	c := detachedComment{section: string(v[k : k+int(n)])}
	v = v[k+int(n):]
	q, k := binary.Uvarint(v)
	if k <= 0 {
		return detachedComment{}, bad
	}
	c.question, c.text = int(q), string(v[k:])
	return c, nil
}

// compact rewrites the database into a fresh file with bbolt's compaction, syncs it and
// renames it over the old one, so that no freed page of the old file (a sealed record, a
// record before generalisation, a token's state while open) survives. Every other operation
// of the store waits meanwhile: it is the short pause of writes of closing a survey. finish,
// when not nil, runs in the new file before it replaces the old one.
func (s *Store) compact(finish func(tx *bolt.Tx) error) error {
	s.swap.Lock()
	defer s.swap.Unlock()
	tmp := s.path + ".compact"
	os.Remove(tmp) // left by a crash during an earlier compaction
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, NoFreelistSync: false})
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	// One transaction (txMaxSize 0): intermittent commits would rewrite half-filled pages and
	// leave their earlier versions in the new file's free pages.
	err = bolt.Compact(dst, s.db, 0)
	if err == nil && finish != nil {
		err = dst.Update(finish)
	}
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := s.db.Close(); err != nil {
		os.Remove(tmp)
		return s.reopen(fmt.Errorf("compact: %w", err))
	}
	if err := os.Rename(tmp, s.path); err != nil {
		os.Remove(tmp)
		return s.reopen(fmt.Errorf("compact: %w", err))
	}
	// The compacted file is in place: the store goes on with it even when the rename cannot
	// be made durable (a crash then brings back the old file, whose marks redo the job).
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		return s.reopen(fmt.Errorf("compact: sync directory: %w", err))
	}
	return s.reopen(nil)
}

// reopen opens the database file again after compact closed it, and returns err (nil: the
// compaction succeeded). The store never keeps a nil database: if the file cannot be
// opened, it keeps the closed one, whose every operation then fails with bbolt's "database
// not open", and the error says so.
func (s *Store) reopen(err error) error {
	db, rerr := openBolt(s.path, 10*time.Second)
	if rerr != nil {
		return errors.Join(err, fmt.Errorf("compact: reopen %s: %w", s.path, rerr))
	}
	s.db = db
	return err
}

// unseal calls fn for every sealed response of open survey id, opened with the key that
// shares rebuild (or, for a survey opened by an earlier version, its key file), in random
// order; fn receives a fresh *Response each time. It is what the custodians could do together
// anyway, and exists for tests that check what was stored: storagetest.Unseal is its only
// way out of the package (internal/testpath).
func (s *Store) unsealAll(id string, shares []ballot.Share, fn func(*survey.Response) error) error {
	return s.view(func(tx *bolt.Tx) error {
		var open func([]byte) ([]byte, error)
		box, err := getBox(tx, id)
		if err != nil {
			return err
		}
		if box != nil {
			key, err := ballot.Rebuild(box.PublicKey, shares)
			if err != nil {
				return err
			}
			defer key.Wipe()
			open = func(v []byte) ([]byte, error) { return key.Open(id, v) }
		} else {
			aead, err := s.key(id, keyCheck(tx, id))
			if err != nil {
				return err
			}
			open = func(v []byte) ([]byte, error) { return unseal(aead, id, v) }
		}
		b := tx.Bucket(bucketBallots).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			plain, err := open(v)
			if err != nil {
				return err
			}
			r := &survey.Response{Survey: id}
			if err := r.UnmarshalBinary(plain); err != nil {
				return err
			}
			return fn(r)
		})
	})
}
