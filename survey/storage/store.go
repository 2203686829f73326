// Package storage keeps surveys, tokens, responses and users in one bbolt file. It is the
// only package that touches bbolt, and it keeps the anonymity guarantees of package survey
// (see survey/doc.go): a response record holds no token, hash or time; a token is used in
// the same transaction that stores its response; while a survey is open its responses are
// stored only sealed under a ballot key kept outside the file (ballot.go), and closing opens
// them generalised, destroys the key and compacts the file.
//
// It lives apart from package survey so that the analysis, which imports survey's types, never
// links bbolt (README, "Layout").
package storage

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
)

// Bucket names. Tokens and responses have one nested bucket per survey id, so that no key
// or value needs to name its survey and a survey's records can be scanned alone.
var (
	bucketQuestionnaires = []byte("questionnaires") // id → questionnaire JSON (immutable once the survey opens)
	bucketStates         = []byte("states")         // id → surveyState JSON
	bucketTokens         = []byte("tokens")         // id → {sha256(token) → used flag + section}
	bucketResponses      = []byte("responses")      // id → {random UUIDv4 → MarshalBinary}
	bucketUsers          = []byte("users")          // name → User JSON
	bucketMeta           = []byte("meta")           // name → secret bytes
	bucketBallots        = []byte("ballots")        // id → {random UUIDv4 → sealed response} while open
	bucketCounts         = []byte("counts")         // id → {section code → respondents, 8 bytes}, from close
	bucketComments       = []byte("comments")       // id → {random UUIDv4 → comment stored apart from its answers}
)

// OpenTimeout is how long Open waits for another process to release the database file.
const OpenTimeout = time.Second

// Store keeps surveys, tokens, responses and users in one bbolt file.
// It is safe for concurrent use.
type Store struct {
	// swap guards db: every operation holds it for reading; compaction, which replaces the
	// file under the store, holds it for writing.
	swap sync.RWMutex
	db   *bolt.DB
	path string

	mu     sync.RWMutex
	cache  map[string]*survey.Questionnaire // questionnaires of open and closed surveys, which never change
	drafts map[string]decodedDraft          // questionnaires of drafts, which may (questionnaire)

	keyMu sync.RWMutex
	keys  map[string]cipher.AEAD       // key files of surveys opened by earlier versions, read once
	pubs  map[string]*ballot.PublicKey // public keys of open surveys' ballot boxes, parsed once
	// stopPrepared stops the senders each public key prepares (ballot.PublicKey.Prepare).
	stopPrepared map[string]func()

	closeMu sync.Mutex // one close at a time

	partMu  sync.Mutex
	partKey []byte // the participation key (participation.go), read or made at first use

	w writer // the group commit of submissions (commit.go)
	// failCommit, when set (tests), runs last in every group commit's transaction: an error
	// fails the commit as a full disk would.
	failCommit func(*bolt.Tx) error
}

type surveyState struct {
	State     string `json:"state"`
	Revision  uint64 `json:"revision"`
	Responses int    `json:"responses"`
	// Closing marks a survey whose box is opened but whose key is not yet destroyed or whose
	// file is not yet compacted: closing it again finishes the job.
	Closing bool `json:"closing,omitempty"`
	// Compact marks a survey whose responses an import moved up (openBox) in a committed
	// transaction whose file is not yet compacted: their earlier versions may linger in free
	// pages until it is. Open compacts a file with a survey so marked.
	Compact bool `json:"compact,omitempty"`
	// Tokens holds the token counts per section once the survey is closed; the tokens
	// themselves then no longer say which were used.
	Tokens map[string]TokenCount `json:"tokens,omitempty"`
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.swap.RLock()
	defer s.swap.RUnlock()
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.swap.RLock()
	defer s.swap.RUnlock()
	return s.db.Update(fn)
}

// openBolt opens the bbolt file at path, waiting up to timeout for another process's lock.
func openBolt(path string, timeout time.Duration) (*bolt.DB, error) {
	return bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, InitialMmapSize: InitialMmapSize})
}

// InitialMmapSize is the address space mapped for the file at open. bbolt must remap when the
// file outgrows its mapping, and a remap waits for every open read transaction: mapping 1 GiB
// up front (address space, not memory) means a ward's database — tens of megabytes a year —
// practically never remaps while the server runs.
const InitialMmapSize = 1 << 30

// Open opens (creating if needed) the database at path. If another process holds the file,
// Open fails after OpenTimeout with an EBUSY error instead of waiting forever.
func Open(path string) (*Store, error) {
	db, err := openBolt(path, OpenTimeout)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &survey.Error{Code: survey.EBUSY, Err: err, Message: survey.Text{
			JA: fmt.Sprintf("データベース %s は別のプロセス（起動中のサーバーなど）が使用中です。サーバーを止めてから実行するか、管理画面を使ってください。", path),
			EN: fmt.Sprintf("the database %s is in use by another process (a running server?). Stop it first, or use the admin pages.", path)}}
	}
	if err != nil {
		return nil, &survey.Error{Code: survey.EINVALID, Err: err, Message: survey.Text{
			JA: fmt.Sprintf("データベース %s を開けません: %v", path, err),
			EN: fmt.Sprintf("cannot open the database %s: %v", path, err)}}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketQuestionnaires, bucketStates, bucketTokens, bucketResponses, bucketUsers, bucketMeta,
			bucketBallots, bucketCounts, bucketComments, bucketAudit, bucketSessions, bucketPlans, bucketMarks, bucketEditions, bucketUsed} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{db: db, path: path, cache: map[string]*survey.Questionnaire{}, drafts: map[string]decodedDraft{}, keys: map[string]cipher.AEAD{}, pubs: map[string]*ballot.PublicKey{}, stopPrepared: map[string]func(){}}
	if err := s.finishCompaction(); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store: finish an interrupted import: %w", err)
	}
	s.startWriter()
	return s, nil
}

// Close commits the submissions queued and closes the database.
func (s *Store) Close() error {
	// The writer first: the submissions it still holds are sealed to the public keys dropped after.
	s.stopWriter()
	s.keyMu.RLock()
	var ids []string
	for id := range s.pubs {
		ids = append(ids, id)
	}
	s.keyMu.RUnlock()
	for _, id := range ids {
		s.dropPublicKey(id)
	}
	s.swap.Lock()
	defer s.swap.Unlock()
	return s.db.Close()
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

func notFound(id string) error {
	return survey.Errorf(survey.ENOTFOUND, "調査 %q はありません", "no survey %q", id)
}

// CreateSurvey stores a validated questionnaire as a new draft survey.
func (s *Store) CreateSurvey(q *survey.Questionnaire) error {
	if err := q.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("create survey: %w", err)
	}
	st, _ := json.Marshal(surveyState{State: survey.StateDraft})
	return s.update(func(tx *bolt.Tx) error {
		qs := tx.Bucket(bucketQuestionnaires)
		if qs.Get([]byte(q.ID)) != nil {
			return survey.Errorf(survey.ECONFLICT, "調査 %q はすでにあります", "survey %q exists already", q.ID)
		}
		if err := qs.Put([]byte(q.ID), data); err != nil {
			return err
		}
		if _, err := tx.Bucket(bucketTokens).CreateBucket([]byte(q.ID)); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketResponses, bucketBallots, bucketCounts, bucketComments} {
			if _, err := tx.Bucket(b).CreateBucketIfNotExists([]byte(q.ID)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketStates).Put([]byte(q.ID), st)
	})
}

// questionnaire returns the stored questionnaire of id, decoding it once per process.
func (s *Store) questionnaire(tx *bolt.Tx, id string) (*survey.Questionnaire, error) {
	s.mu.RLock()
	q := s.cache[id]
	s.mu.RUnlock()
	if q != nil {
		return q, nil
	}
	data := tx.Bucket(bucketQuestionnaires).Get([]byte(id))
	if data == nil {
		return nil, notFound(id)
	}
	// A draft's questionnaire may still change (UpdateDraft), so it is kept apart with the
	// bytes it was decoded from, and used again only while they are the ones this transaction
	// reads: a reader whose snapshot predates an edit never serves, nor keeps, the older draft
	// to a later one. The others never change and are kept for good.
	st, err := getState(tx, id)
	if err != nil {
		return nil, err
	}
	draft := st.State == survey.StateDraft
	if draft {
		s.mu.RLock()
		d, ok := s.drafts[id]
		s.mu.RUnlock()
		if ok && bytes.Equal(d.data, data) {
			return d.q, nil
		}
	}
	q = new(survey.Questionnaire)
	if err := json.Unmarshal(data, q); err != nil {
		return nil, fmt.Errorf("decode questionnaire %s: %w", id, err)
	}
	q.Freeze()
	s.mu.Lock()
	if draft {
		s.drafts[id] = decodedDraft{data: bytes.Clone(data), q: q}
	} else {
		s.cache[id] = q
		delete(s.drafts, id)
	}
	s.mu.Unlock()
	return q, nil
}

// decodedDraft is a draft's questionnaire with the stored bytes it was decoded from.
type decodedDraft struct {
	data []byte
	q    *survey.Questionnaire
}

func getState(tx *bolt.Tx, id string) (surveyState, error) {
	var st surveyState
	data := tx.Bucket(bucketStates).Get([]byte(id))
	if data == nil {
		return st, notFound(id)
	}
	if st, ok := lastState.get(data); ok {
		return st, nil
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, err
	}
	lastState.put(bytes.Clone(data), st)
	return st, nil
}

func putState(tx *bolt.Tx, id string, st surveyState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketStates).Put([]byte(id), data); err != nil {
		return err
	}
	lastState.put(data, st)
	return nil
}

// lastState is the state record last read or written, decoded: the writer reads and rewrites
// an open survey's state for every submission, and decoding its JSON each time cost about 2 %
// of a submission's CPU. It is a cache of the decoding alone — a record is taken from it only
// when its bytes are the same, whatever the file, survey or transaction — so a write rolled
// back, another survey or another store simply misses.
var lastState stateMemo

type stateMemo struct {
	mu  sync.Mutex
	raw []byte
	st  surveyState
}

func (m *stateMemo) get(raw []byte) (surveyState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.raw == nil || !bytes.Equal(m.raw, raw) {
		return surveyState{}, false
	}
	return m.st, true
}

// put remembers st, decoded from raw (which it keeps), unless st holds a map: a copy of st
// must share nothing with the one remembered.
func (m *stateMemo) put(raw []byte, st surveyState) {
	if st.Tokens != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.raw, m.st = raw, st
}

func (s *Store) survey(tx *bolt.Tx, id string) (*survey.Survey, error) {
	q, err := s.questionnaire(tx, id)
	if err != nil {
		return nil, err
	}
	st, err := getState(tx, id)
	if err != nil {
		return nil, err
	}
	return &survey.Survey{Questionnaire: q, State: st.State, Revision: st.Revision, Responses: st.Responses, Closing: st.Closing}, nil
}

// Survey returns the survey with the given id.
func (s *Store) Survey(id string) (*survey.Survey, error) {
	var sv *survey.Survey
	err := s.view(func(tx *bolt.Tx) (err error) {
		sv, err = s.survey(tx, id)
		return err
	})
	return sv, err
}

// Surveys returns every survey, ordered by year and then id.
func (s *Store) Surveys() ([]*survey.Survey, error) {
	var out []*survey.Survey
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStates).ForEach(func(k, _ []byte) error {
			sv, err := s.survey(tx, string(k))
			if err != nil {
				return err
			}
			out = append(out, sv)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Questionnaire, out[j].Questionnaire
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.ID < b.ID
	})
	return out, err
}

// CloseSurvey closes survey id: a draft at once; an open survey by opening its ballot box
// (docs/anonymity.md, rule 4) with shares, threshold of its custodians' shares (none for a
// survey opened by an earlier version, which closes with its key file). Shares that do not
// rebuild the box's key are refused before anything changes. Closing a survey whose close was
// interrupted after its box was opened finishes it, without shares.
func (s *Store) CloseSurvey(id string, shares []ballot.Share) error {
	return s.closeSurvey(id, shares)
}

// closeSurvey closes survey id (docs/anonymity.md, rule 4), in steps that each leave the store
// either open with its sealed responses and key, or closed with every response opened:
//
//  1. the shares rebuild the ballot key in memory (or the key file of an earlier version's
//     survey is read), checked against the stored public key before anything changes;
//     one transaction unseals every response, stores it generalised under a fresh random key
//     (openBox), deletes the sealed records, makes the tokens say nothing about which were
//     used, and marks the survey closed and closing;
//  2. the rebuilt key is wiped (an earlier version's key file is removed and its directory synced);
//  3. the file is compacted into a new one, in which the closing mark is cleared.
//
// A crash after step 1 leaves the survey closed and closing: closing it again (or starting
// the server, FinishClosing) does steps 2 and 3.
func (s *Store) closeSurvey(id string, shares []ballot.Share) error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	var wasOpen, pending bool
	var check []byte
	var box *boxInfo
	err := s.view(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		check = keyCheck(tx, id)
		if box, err = getBox(tx, id); err != nil {
			return err
		}
		if st.State == survey.StateClosed && !st.Closing {
			return survey.Errorf(survey.ESTATE, "調査 %q はすでに「%s」です", "survey %q is already %s", id, survey.StateTitle(survey.StateClosed))
		}
		pending = st.State == survey.StateClosed
		wasOpen = st.State == survey.StateOpen
		return nil
	})
	if err != nil {
		return err
	}
	var open opener
	switch {
	case wasOpen && box != nil:
		key, err := ballot.Rebuild(box.PublicKey, shares)
		if err != nil {
			return err
		}
		defer key.Wipe()
		open = func(sealed []byte) ([]byte, error) { return key.Open(id, sealed) }
		closeStep("key")
	case wasOpen && (check != nil || s.keyExists(id)):
		// Opened by an earlier version: its key file opens the box. (An open survey with
		// neither was opened before the ballot box and has nothing sealed; openBallots checks.)
		aead, err := s.key(id, check)
		if err != nil {
			return err
		}
		open = func(sealed []byte) ([]byte, error) {
			plain, err := unseal(aead, id, sealed)
			if err != nil {
				return nil, errKeyWrong(id, s.keyPath(id), err)
			}
			return plain, nil
		}
	}
	if !pending {
		err := s.update(func(tx *bolt.Tx) error {
			st, err := getState(tx, id)
			if err != nil {
				return err
			}
			if !survey.CanTransition(st.State, survey.StateClosed) {
				return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
					JA: fmt.Sprintf("調査 %q は「%s」なので終了できません", id, survey.StateTitle(st.State).JA),
					EN: fmt.Sprintf("survey %q is %s and cannot be closed", id, st.State)}}
			}
			tokens := func() (err error) {
				st.Tokens, err = closeTokens(tx, id)
				return err
			}
			if st.State == survey.StateOpen {
				if !wasOpen { // opened meanwhile: its box needs shares
					return survey.Errorf(survey.ESTATE, "調査 %q は今開始されました。終了するには割符が必要です。",
						"survey %q was opened meanwhile: closing it needs shares", id)
				}
				// The tokens are closed while the records are opened.
				if err := s.openBallots(tx, id, open, tokens); err != nil {
					return err
				}
			} else if err := tokens(); err != nil {
				return err
			}
			if err := tx.Bucket(bucketMeta).Delete(keyCheckName(id)); err != nil {
				return err
			}
			if err := tx.Bucket(bucketMeta).Delete(boxName(id)); err != nil {
				return err
			}
			st.State, st.Closing = survey.StateClosed, true
			st.Revision++
			return putState(tx, id, st)
		})
		if err != nil {
			return err
		}
		closeStep("commit")
	}
	s.dropPublicKey(id)
	if hookAfterOpen != nil {
		if err := hookAfterOpen(); err != nil {
			return err
		}
	}
	if err := s.destroyKey(id); err != nil {
		return err
	}
	closeStep("wipe")
	err = s.compact(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		st.Closing = false
		return putState(tx, id, st)
	})
	closeStep("compact")
	return err
}

// hookAfterOpen, when a test sets it, runs between steps 1 and 2 of closeSurvey; an error
// stops the close there, as a crash would.
var hookAfterOpen func() error

// FinishClosing finishes every close that a crash interrupted after the ballot box was
// opened (see closeSurvey): the server calls it when it starts.
func (s *Store) FinishClosing() error {
	var ids []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStates).ForEach(func(k, _ []byte) error {
			st, err := getState(tx, string(k))
			if err == nil && st.Closing {
				ids = append(ids, string(k))
			}
			return err
		})
	})
	for _, id := range ids {
		if err == nil {
			err = s.closeSurvey(id, nil)
		}
	}
	return err
}

// openBallots unseals every sealed response of survey id, stores them opened (openBox) and
// deletes the sealed records, inside the caller's transaction. meanwhile runs in the
// transaction while the records are opened (the close's other writes), so that the opening
// is the only thing that takes time.
func (s *Store) openBallots(tx *bolt.Tx, id string, open opener, meanwhile func() error) error {
	q, err := s.questionnaire(tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.Bucket(bucketResponses).CreateBucketIfNotExists([]byte(id)); err != nil {
		return err
	}
	// The values stay valid, and unchanged, until the box is deleted below.
	var values [][]byte
	bb := tx.Bucket(bucketBallots).Bucket([]byte(id))
	if bb != nil {
		if err := bb.ForEach(func(_, v []byte) error {
			values = append(values, v)
			return nil
		}); err != nil {
			return err
		}
	}
	if len(values) > 0 && open == nil {
		return errKeyMissing(id, s.keyPath(id), errors.New("no key for sealed responses"))
	}
	closeStep("read")
	each := func(fn func(*survey.Response) error) error {
		if err := openEach(open, id, values, fn); err != nil {
			return fmt.Errorf("open ballot box of %s: %w", id, err)
		}
		return nil
	}
	// gather takes the responses as they are opened, on its own goroutine, without the
	// transaction; store then writes what is kept, in it.
	var gather, store func() error
	if q.HasAttributes() {
		b, err := newSumsBox(tx, q, len(values))
		if err != nil {
			return err
		}
		gather = func() error { return b.gather(each) }
		store = func() error { return b.store(tx) }
	} else {
		rs := make([]*survey.Response, 0, len(values))
		gather = func() error {
			return each(func(r *survey.Response) error {
				rs = append(rs, r.Clone())
				return nil
			})
		}
		store = func() error { return openBox(tx, q, rs) }
	}
	gathered := make(chan error, 1)
	go func() { gathered <- gather() }()
	err = meanwhile()
	closeStep("tokens")
	if gerr := <-gathered; err == nil { // the records stay in use until gather returns
		err = gerr
	}
	if err != nil {
		return err
	}
	closeStep("open")
	if err := store(); err != nil {
		return err
	}
	closeStep("store")
	if bb != nil {
		if err := tx.Bucket(bucketBallots).DeleteBucket([]byte(id)); err != nil {
			return err
		}
	}
	_, err = tx.Bucket(bucketBallots).CreateBucketIfNotExists([]byte(id))
	closeStep("delete")
	return err
}

// closeTokens counts survey id's tokens per section, rewrites every one as closed and deletes
// the used marks, so that the file no longer says which were used, not even with the
// participation key (docs/anonymity.md, rule 2: once a survey is closed, every token gets the
// same answer).
func closeTokens(tx *bolt.Tx, id string) (map[string]TokenCount, error) {
	out := map[string]TokenCount{}
	if err := countUsed(tx, id, out); err != nil {
		return nil, err
	}
	if err := dropUsed(tx, id); err != nil {
		return nil, err
	}
	_, err := rewrite(tx.Bucket(bucketTokens).Bucket([]byte(id)), func(v []byte) ([]byte, error) {
		countToken(out, v)
		if v[0] == tokenClosed || v[0] == tokenVoided {
			return nil, nil
		}
		return append([]byte{tokenClosed}, v[1:]...), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rewrite replaces every value of bucket b (nil: none) for which change returns a new one
// (nil: keep it), and returns how many it replaced. The new values are put after the walk:
// bbolt forbids changing a bucket while ForEach walks it.
func rewrite(b *bolt.Bucket, change func(v []byte) ([]byte, error)) (int, error) {
	if b == nil {
		return 0, nil
	}
	var keys, values [][]byte
	err := b.ForEach(func(k, v []byte) error {
		nv, err := change(v)
		if err != nil || nv == nil {
			return err
		}
		keys, values = append(keys, slices.Clone(k)), append(values, nv)
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, k := range keys {
		if err := b.Put(k, values[i]); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// The first byte of a stored token: unused, used, its survey closed (then the token no
// longer says whether it was used), or voided (VoidTokens: it answers like an unknown token).
const (
	tokenUnused = 0
	tokenUsed   = 1
	tokenClosed = 2
	tokenVoided = 3
)

// tokenValue is the stored value of a token: a used flag and the section.
func tokenValue(used bool, section string) []byte {
	v := make([]byte, 1+len(section))
	if used {
		v[0] = tokenUsed
	}
	copy(v[1:], section)
	return v
}

// IssueTokens creates n new tokens for a leaf section of a draft or open survey and returns
// them in random order. They are returned only here: the store keeps their hashes.
func (s *Store) IssueTokens(id, section string, n int) ([]string, error) {
	if n < 1 || n > survey.MaxTokensPerIssue {
		return nil, survey.Errorf(survey.EINVALID, "発行数は 1〜%d で指定してください", "the count must be between 1 and %d", survey.MaxTokensPerIssue)
	}
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = survey.NewToken()
	}
	err := s.update(func(tx *bolt.Tx) error {
		sv, err := s.survey(tx, id)
		if err != nil {
			return err
		}
		if sv.State == survey.StateClosed {
			return survey.Errorf(survey.ESTATE, "調査 %q は終了しているため回答用コードを発行できません", "survey %q is closed: no more tokens", id)
		}
		if !sv.Questionnaire.IsLeaf(section) {
			return survey.Errorf(survey.EINVALID, "所属 %q は調査 %q の末端の所属ではありません（回答用コードは末端の所属ごとに発行します）",
				"section %q is not a leaf section of survey %q (tokens are issued per leaf section)", section, id)
		}
		b := tx.Bucket(bucketTokens).Bucket([]byte(id))
		for _, t := range tokens {
			if err := b.Put(survey.HashToken(t), tokenValue(false, section)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	survey.Shuffle(tokens)
	return tokens, nil
}

// foundToken is a token as findToken finds it.
type foundToken struct {
	survey, section string
	mark            []byte // the key of its used mark (usedMark)
	used            bool
}

// findToken looks a canonical token up in every survey's token bucket; key is the
// participation key that finds its used mark.
func findToken(tx *bolt.Tx, key []byte, canonical string) (foundToken, error) {
	h := survey.HashToken(canonical)
	c := tx.Bucket(bucketTokens).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		if val := tx.Bucket(bucketTokens).Bucket(k).Get(h); val != nil {
			if val[0] == tokenVoided {
				break // answers like an unknown token
			}
			t := foundToken{survey: string(k), section: string(val[1:]), mark: usedMark(key, h)}
			t.used = isUsed(tx, t.survey, t.mark, val)
			return t, nil
		}
	}
	return foundToken{}, survey.ErrTokenUnknown
}

// Ticket is what a valid, unused token of an open survey gives access to (survey.Ticket).
type Ticket = survey.Ticket

// Redeemable checks a token without using it: ENOTFOUND for an unknown (or malformed) token,
// EGONE when its survey is not open (used or not: once closed, every token gets the same
// answer), ECONFLICT for a used one of an open survey.
func (s *Store) Redeemable(token string) (*Ticket, error) {
	canonical, err := survey.ParseToken(token)
	if err != nil {
		return nil, err
	}
	key, err := s.participationKey()
	if err != nil {
		return nil, err
	}
	var t *Ticket
	err = s.view(func(tx *bolt.Tx) error {
		tok, err := findToken(tx, key, canonical)
		if err != nil {
			return err
		}
		sv, err := s.survey(tx, tok.survey)
		if err != nil {
			return err
		}
		if sv.State != survey.StateOpen {
			return survey.ErrNotOpen
		}
		if tok.used {
			return survey.ErrTokenUsed
		}
		t = &Ticket{Survey: sv, Section: tok.section}
		return nil
	})
	return t, err
}

// Submit redeems token and stores r, sealed in the survey's ballot box, in one transaction, so
// that a response exists if and only if its token is used. The token decides r's survey and
// section. r is validated inside the transaction; an invalid response leaves the token unused.
// Concurrent submissions share transactions (group commit, commit.go), each still durable
// when Submit returns nil.
func (s *Store) Submit(token string, r *survey.Response) error {
	return s.SubmitWith(token, func(*survey.Questionnaire) (*survey.Response, error) { return r, nil })
}

// SubmitWith is Submit for a response that build makes from the token's questionnaire: the
// token is checked (unknown, used, survey not open) before build runs, inside the transaction
// that uses it, so a caller that needs the questionnaire to read the answers does not check the
// token in a transaction of its own first. build may run more than once and must not depend on
// an earlier run; its error is returned as it is, and leaves the token unused.
func (s *Store) SubmitWith(token string, build func(*survey.Questionnaire) (*survey.Response, error)) error {
	canonical, err := survey.ParseToken(token)
	if err != nil {
		return err
	}
	if _, err := s.participationKey(); err != nil {
		return err
	}
	key := uuid.New() // random v4: key order says nothing about submission order
	return s.groupWrite(func(tx *bolt.Tx) error {
		// This may run twice: it must not depend on state from a first run.
		return s.submit(tx, canonical, build, key)
	})
}

// submitAll is Submit for many tokens and responses at once (tokens[i] answers rs[i]), all in
// one transaction: all are stored or none. It exists to load large surveys quickly in tests
// and benchmarks (storagetest.SubmitAll); each submission keeps every rule of Submit.
func (s *Store) submitAll(tokens []string, rs []*survey.Response) error {
	if len(tokens) != len(rs) {
		return fmt.Errorf("submit all: %d tokens for %d responses", len(tokens), len(rs))
	}
	canon := make([]string, len(tokens))
	for i, t := range tokens {
		c, err := survey.ParseToken(t)
		if err != nil {
			return err
		}
		canon[i] = c
	}
	if _, err := s.participationKey(); err != nil {
		return err
	}
	// Sealed records go in in key order, so that bbolt appends instead of moving pages.
	keys := make([]uuid.UUID, len(canon))
	order := make([]int, len(canon))
	for i := range keys {
		keys[i], order[i] = uuid.New(), i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a][:], keys[b][:]) })
	return s.update(func(tx *bolt.Tx) error {
		for _, i := range order {
			r := rs[i]
			err := s.submit(tx, canon[i], func(*survey.Questionnaire) (*survey.Response, error) { return r, nil }, keys[i])
			if err != nil {
				return unrefused(err)
			}
		}
		return nil
	})
}

// submit redeems one token and stores its response, made by build, sealed, inside tx. Every
// error before its first write is a refusal (commit.go): the batch goes on without it.
func (s *Store) submit(tx *bolt.Tx, canonical string, build func(*survey.Questionnaire) (*survey.Response, error), key uuid.UUID) error {
	pk, err := s.loadedParticipationKey()
	if err != nil {
		return refuse(err)
	}
	tok, err := findToken(tx, pk, canonical)
	if err != nil {
		return refuse(err)
	}
	id, section := tok.survey, tok.section
	st, err := getState(tx, id)
	if err != nil {
		return refuse(err)
	}
	if st.State != survey.StateOpen {
		return refuse(survey.ErrNotOpen)
	}
	if tok.used {
		return refuse(survey.ErrTokenUsed)
	}
	q, err := s.questionnaire(tx, id)
	if err != nil {
		return refuse(err)
	}
	r, err := build(q)
	if err != nil {
		return refuse(err)
	}
	resp := *r
	resp.Survey, resp.Section = id, section
	if err := resp.Validate(q); err != nil {
		return refuse(err)
	}
	data, err := resp.MarshalBinary()
	if err != nil {
		return refuse(err)
	}
	sealed, err := s.sealRecord(tx, id, data)
	if err != nil {
		// The operator's problem, not the respondent's: staff see the generic message, the
		// log gets what to do.
		var se *survey.Error
		if errors.As(err, &se) {
			return refuse(&survey.Error{Code: survey.EINTERNAL, Err: err, Message: se.Message})
		}
		return refuse(err)
	}
	// The writes: an error from here on leaves the transaction to roll back.
	bb, err := tx.Bucket(bucketBallots).CreateBucketIfNotExists([]byte(id))
	if err != nil {
		return err
	}
	if err := bb.Put(key[:], sealed); err != nil {
		return err
	}
	if err := markUsed(tx, id, section, tok.mark); err != nil {
		return err
	}
	st.Revision++
	st.Responses++
	return putState(tx, id, st)
}

// Import stores past responses into a survey that is not open, all or nothing: one invalid
// response rejects the whole import and nothing is written. Like the responses of a closed
// survey, they are stored generalised (docs/anonymity.md, rule 4) for the survey's respondent
// counts with them added; responses imported before move up when the new counts hide their
// group, and the file is then compacted so that their earlier versions do not linger.
func (s *Store) Import(id string, rs []*survey.Response) error {
	hadResponses := false
	err := s.update(func(tx *bolt.Tx) error {
		sv, err := s.survey(tx, id)
		if err != nil {
			return err
		}
		if sv.State == survey.StateOpen {
			return survey.Errorf(survey.ESTATE, "調査 %q は回答受付中のため取り込めません（準備中か終了の調査に取り込みます）",
				"survey %q is open: import into a draft or closed survey", id)
		}
		hadResponses = sv.Responses > 0
		for i, r := range rs {
			if r.Survey == "" {
				r.Survey = id
			}
			if err := r.Validate(sv.Questionnaire); err != nil {
				var e *survey.Error
				if errors.As(err, &e) {
					return &survey.Error{Code: e.Code, Message: survey.Text{
						JA: fmt.Sprintf("%d 件目: %s", i+1, e.Message.JA), EN: fmt.Sprintf("response %d: %s", i+1, e.Message.EN)}}
				}
				return err
			}
		}
		if err := openBox(tx, sv.Questionnaire, rs); err != nil {
			return err
		}
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		st.Revision++
		st.Responses += len(rs)
		// Marked in the same transaction, so that a crash before the compaction below
		// leaves a mark that the next Open finishes.
		st.Compact = hadResponses
		return putState(tx, id, st)
	})
	if err != nil || !hadResponses {
		return err
	}
	if hookBeforeCompact != nil {
		if err := hookBeforeCompact(); err != nil {
			return err
		}
	}
	return s.compact(clearCompactMarks)
}

// hookBeforeCompact, when a test sets it, runs between an import's commit and its compaction;
// an error stops the import there, as a crash would.
var hookBeforeCompact func() error

// clearCompactMarks clears every survey's Compact mark, in the compacted file.
func clearCompactMarks(tx *bolt.Tx) error {
	var ids []string
	var sts []surveyState
	err := tx.Bucket(bucketStates).ForEach(func(k, _ []byte) error {
		st, err := getState(tx, string(k))
		if err == nil && st.Compact {
			st.Compact = false
			ids, sts = append(ids, string(k)), append(sts, st)
		}
		return err
	})
	for i, id := range ids {
		if err == nil {
			err = putState(tx, id, sts[i])
		}
	}
	return err
}

// finishCompaction compacts the file when an import was interrupted between its commit and
// its compaction (surveyState.Compact), and removes what an interrupted compaction left.
func (s *Store) finishCompaction() error {
	os.Remove(s.path + ".compact") // a crash during compaction: the old file is intact
	pending := false
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStates).ForEach(func(k, _ []byte) error {
			st, err := getState(tx, string(k))
			pending = pending || st.Compact
			return err
		})
	})
	if err != nil || !pending {
		return err
	}
	return s.compact(clearCompactMarks)
}

// ImportProgress is Import, calling progress (when not nil) with len(rs) once the responses
// are stored (the command line's progress bar; reading the CSV is the long part).
func (s *Store) ImportProgress(id string, rs []*survey.Response, progress func(done int)) error {
	err := s.Import(id, rs)
	if err == nil && progress != nil {
		progress(len(rs))
	}
	return err
}

// SectionCounts returns the respondents of survey id per section code (their own code, the
// subtree excluded) as recorded when the survey closed or responses were imported, or nil
// for a survey that has none recorded (closed before the ballot box existed: its responses
// keep their leaf sections). Reports use them (analysis.Accumulator.SetSectionCounts): the
// stored sections are generalised, the counts are not.
func (s *Store) SectionCounts(id string) (map[string]int, error) {
	var out map[string]int
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketCounts).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if out == nil {
				out = map[string]int{}
			}
			out[string(k)] = int(binary.BigEndian.Uint64(v))
			return nil
		})
	})
	return out, err
}

// EachComment calls fn for every comment of survey id stored apart from its answers, because
// the group its answers are stored under is too small to show comments (docs/anonymity.md, rule 4):
// its section (the nearest group where comments may be shown), the index of its question in
// Questionnaire.Comments and its text.
func (s *Store) EachComment(id string, fn func(section string, question int, text string) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketComments).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			c, err := decodeComment(v)
			if err != nil {
				return err
			}
			return fn(c.section, c.question, c.text)
		})
	})
}

// EachResponse calls fn for every response of survey id, in key (that is, random) order.
// fn receives the same *Response each time, overwritten: it must copy what it keeps.
// The scan runs in one read transaction, so it sees a consistent snapshot.
func (s *Store) EachResponse(id string, fn func(*survey.Response) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResponses).Bucket([]byte(id))
		if b == nil {
			return notFound(id)
		}
		r := &survey.Response{Survey: id}
		return b.ForEach(func(_, v []byte) error {
			if err := r.UnmarshalBinary(v); err != nil {
				return err
			}
			return fn(r)
		})
	})
}

// TokenCount is the number of issued and used tokens of a section. Issued excludes voided
// tokens (Voided counts them), so that response rates are used ÷ (issued − voided).
type TokenCount struct {
	Issued int `json:"issued"`
	Used   int `json:"used"`
	Voided int `json:"voided,omitempty"`
}

// TokenCounts returns, per leaf section of survey id, how many tokens were issued (and not
// voided), used and voided. It is the basis of response rates and says nothing about when
// tokens were used.
func (s *Store) TokenCounts(id string) (map[string]TokenCount, error) {
	out := map[string]TokenCount{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens).Bucket([]byte(id))
		if b == nil {
			return notFound(id)
		}
		if st, err := getState(tx, id); err != nil {
			return err
		} else if st.Tokens != nil {
			out = st.Tokens
			return nil
		}
		if err := countUsed(tx, id, out); err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			countToken(out, v)
			return nil
		})
	})
	return out, err
}

// Backup writes a consistent copy of the whole database to w while others keep using it.
// The ballot keys of open surveys are not in it (they are never in the database): restored
// without them, an open survey's sealed responses cannot be opened.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// Secret returns a random secret of 32 bytes stored under name, creating it on first use
// (for example the key that signs admin session cookies).
func (s *Store) Secret(name string) ([]byte, error) {
	var out []byte
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if v := b.Get([]byte(name)); v != nil {
			out = bytes.Clone(v)
			return nil
		}
		out = make([]byte, 32)
		if _, err := rand.Read(out); err != nil {
			return err
		}
		return b.Put([]byte(name), out)
	})
	return out, err
}

// countToken adds a token record v (its state byte, then its section) to the counts of its
// section: a voided token stays voided (it answers like an unknown one, closed or not) and
// counts as not issued; a used one as issued and used.
func countToken(out map[string]TokenCount, v []byte) {
	c := out[string(v[1:])]
	switch v[0] {
	case tokenVoided:
		c.Voided++
	case tokenUsed:
		c.Issued++
		c.Used++
	default:
		c.Issued++
	}
	out[string(v[1:])] = c
}
