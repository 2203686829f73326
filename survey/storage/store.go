// Package storage keeps surveys, tokens, responses and users in one bbolt file. It is the
// only package that touches bbolt, and it keeps the anonymity guarantees of package survey
// (see survey/doc.go): a response record holds no token, hash or time, and a token is used in
// the same transaction that stores its response.
//
// It lives apart from package survey so that the analysis, which imports survey's types, never
// links bbolt (README, "Layout").
package storage

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// Bucket names. Tokens and responses have one nested bucket per survey id, so that no key
// or value needs to name its survey and a survey's records can be scanned alone.
var (
	bucketQuestionnaires = []byte("questionnaires") // id → questionnaire JSON (immutable)
	bucketStates         = []byte("states")         // id → surveyState JSON
	bucketTokens         = []byte("tokens")         // id → {sha256(token) → used flag + section}
	bucketResponses      = []byte("responses")      // id → {random UUIDv4 → MarshalBinary}
	bucketUsers          = []byte("users")          // name → User JSON
	bucketMeta           = []byte("meta")           // name → secret bytes
)

// OpenTimeout is how long Open waits for another process to release the database file.
const OpenTimeout = time.Second

// InitialMmapSize is the address space mapped for the file at open. bbolt must remap when the
// file outgrows its mapping, and a remap waits for every open read transaction: mapping 1 GiB
// up front (address space, not memory) means a ward's database — tens of megabytes a year —
// practically never remaps while the server runs.
const InitialMmapSize = 1 << 30

// Store keeps surveys, tokens, responses and users in one bbolt file.
// It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	mu    sync.RWMutex
	cache map[string]*survey.Questionnaire // questionnaires are immutable once stored
}

type surveyState struct {
	State     string `json:"state"`
	Revision  uint64 `json:"revision"`
	Responses int    `json:"responses"`
}

// Open opens (creating if needed) the database at path. If another process holds the file,
// Open fails after OpenTimeout with an EBUSY error instead of waiting forever.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: OpenTimeout, InitialMmapSize: InitialMmapSize})
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
		for _, b := range [][]byte{bucketQuestionnaires, bucketStates, bucketTokens, bucketResponses, bucketUsers, bucketMeta, bucketAudit, bucketSessions} {
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
	return &Store{db: db, path: path, cache: map[string]*survey.Questionnaire{}}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

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
	return s.db.Update(func(tx *bolt.Tx) error {
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
		if _, err := tx.Bucket(bucketResponses).CreateBucket([]byte(q.ID)); err != nil {
			return err
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
	q = new(survey.Questionnaire)
	if err := json.Unmarshal(data, q); err != nil {
		return nil, fmt.Errorf("decode questionnaire %s: %w", id, err)
	}
	q.Freeze()
	s.mu.Lock()
	s.cache[id] = q
	s.mu.Unlock()
	return q, nil
}

func getState(tx *bolt.Tx, id string) (surveyState, error) {
	var st surveyState
	data := tx.Bucket(bucketStates).Get([]byte(id))
	if data == nil {
		return st, notFound(id)
	}
	err := json.Unmarshal(data, &st)
	return st, err
}

func putState(tx *bolt.Tx, id string, st surveyState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketStates).Put([]byte(id), data)
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
	return &survey.Survey{Questionnaire: q, State: st.State, Revision: st.Revision, Responses: st.Responses}, nil
}

// Survey returns the survey with the given id.
func (s *Store) Survey(id string) (*survey.Survey, error) {
	var sv *survey.Survey
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		sv, err = s.survey(tx, id)
		return err
	})
	return sv, err
}

// Surveys returns every survey, ordered by year and then id.
func (s *Store) Surveys() ([]*survey.Survey, error) {
	var out []*survey.Survey
	err := s.db.View(func(tx *bolt.Tx) error {
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

// SetState moves a survey through its lifecycle: draft → open → closed, or draft → closed.
func (s *Store) SetState(id, to string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if st.State == to {
			return survey.Errorf(survey.ESTATE, "調査 %q はすでに「%s」です", "survey %q is already %s", id, survey.StateTitle(to).JA)
		}
		if !survey.CanTransition(st.State, to) {
			return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
				JA: fmt.Sprintf("調査 %q は「%s」なので「%s」にできません", id, survey.StateTitle(st.State).JA, survey.StateTitle(to).JA),
				EN: fmt.Sprintf("survey %q is %s and cannot become %s", id, st.State, to)}}
		}
		st.State = to
		return putState(tx, id, st)
	})
}

// The first byte of a stored token value: its state. A voided token is kept (so that counts
// can say how many were voided) but answers exactly like an unknown one.
const (
	tokenUnused byte = 0
	tokenUsed   byte = 1
	tokenVoided byte = 2
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
	err := s.db.Update(func(tx *bolt.Tx) error {
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

// findToken looks a canonical token up in every survey's token bucket.
func findToken(tx *bolt.Tx, canonical string) (surveyID, section string, used bool, err error) {
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
			return string(k), string(val[1:]), val[0] == tokenUsed, nil
		}
	}
	return "", "", false, survey.ErrTokenUnknown
}

// Ticket is what a valid, unused token of an open survey gives access to.
type Ticket struct {
	Survey  *survey.Survey
	Section string
}

// Redeemable checks a token without using it: ENOTFOUND for an unknown (or malformed) token,
// ECONFLICT for a used one, EGONE when its survey is not open.
func (s *Store) Redeemable(token string) (*Ticket, error) {
	canonical, err := survey.ParseToken(token)
	if err != nil {
		return nil, err
	}
	var t *Ticket
	err = s.db.View(func(tx *bolt.Tx) error {
		id, section, used, err := findToken(tx, canonical)
		if err != nil {
			return err
		}
		sv, err := s.survey(tx, id)
		if err != nil {
			return err
		}
		if used {
			return survey.ErrTokenUsed
		}
		if sv.State != survey.StateOpen {
			return survey.ErrNotOpen
		}
		t = &Ticket{Survey: sv, Section: section}
		return nil
	})
	return t, err
}

// Submit redeems token and stores r in one transaction, so that a response exists if and only
// if its token is used. The token decides r's survey and section. r is validated inside the
// transaction; an invalid response leaves the token unused. Concurrent submissions share
// transactions (DB.Batch), each still durable when Submit returns nil.
func (s *Store) Submit(token string, r *survey.Response) error {
	canonical, err := survey.ParseToken(token)
	if err != nil {
		return err
	}
	key := uuid.New() // random v4: key order says nothing about submission order
	return s.db.Batch(func(tx *bolt.Tx) error {
		// Batch may run this function twice: it must not depend on state from a first run.
		id, section, used, err := findToken(tx, canonical)
		if err != nil {
			return err
		}
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if used {
			return survey.ErrTokenUsed
		}
		if st.State != survey.StateOpen {
			return survey.ErrNotOpen
		}
		q, err := s.questionnaire(tx, id)
		if err != nil {
			return err
		}
		resp := *r
		resp.Survey, resp.Section = id, section
		if err := resp.Validate(q); err != nil {
			return err
		}
		data, err := resp.MarshalBinary()
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketResponses).Bucket([]byte(id)).Put(key[:], data); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Bucket([]byte(id)).Put(survey.HashToken(canonical), tokenValue(true, section)); err != nil {
			return err
		}
		st.Revision++
		st.Responses++
		return putState(tx, id, st)
	})
}

// Import stores past responses into a survey that is not open, all or nothing: one invalid
// response rejects the whole import and nothing is written.
func (s *Store) Import(id string, rs []*survey.Response) error {
	return s.ImportProgress(id, rs, nil)
}

// ImportProgress is Import, calling progress (when not nil) with the number of responses
// validated so far, then len(rs) once they are written.
//
// Speed: the responses are validated and encoded before the write transaction, and stored
// under random keys sorted beforehand, because bbolt inserts into a node by copying its tail:
// unsorted keys make a large import quadratic.
func (s *Store) ImportProgress(id string, rs []*survey.Response, progress func(done int)) error {
	sv, err := s.Survey(id)
	if err != nil {
		return err
	}
	type record struct {
		key  [16]byte
		data []byte
	}
	recs := make([]record, len(rs))
	random := make([]byte, 16*len(rs))
	if _, err := rand.Read(random); err != nil {
		return fmt.Errorf("import: %w", err)
	}
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
		data, err := r.MarshalBinary()
		if err != nil {
			return err
		}
		copy(recs[i].key[:], random[16*i:])
		recs[i].key[6] = recs[i].key[6]&0x0f | 0x40 // a UUIDv4, as Submit's keys
		recs[i].key[8] = recs[i].key[8]&0x3f | 0x80
		recs[i].data = data
		if progress != nil && i%4096 == 0 {
			progress(i)
		}
	}
	sort.Slice(recs, func(i, j int) bool { return bytes.Compare(recs[i].key[:], recs[j].key[:]) < 0 })
	err = s.db.Update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if st.State == survey.StateOpen {
			return survey.Errorf(survey.ESTATE, "調査 %q は回答受付中のため取り込めません（準備中か終了の調査に取り込みます）",
				"survey %q is open: import into a draft or closed survey", id)
		}
		b := tx.Bucket(bucketResponses).Bucket([]byte(id))
		for i := range recs {
			if err := b.Put(recs[i].key[:], recs[i].data); err != nil {
				return err
			}
		}
		st.Revision++
		st.Responses += len(rs)
		return putState(tx, id, st)
	})
	if err == nil && progress != nil {
		progress(len(rs))
	}
	return err
}

// EachResponse calls fn for every response of survey id, in key (that is, random) order.
// fn receives the same *Response each time, overwritten: it must copy what it keeps.
// The scan runs in one read transaction, so it sees a consistent snapshot.
func (s *Store) EachResponse(id string, fn func(*survey.Response) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
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
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens).Bucket([]byte(id))
		if b == nil {
			return notFound(id)
		}
		return b.ForEach(func(_, v []byte) error {
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
			return nil
		})
	})
	return out, err
}

// Backup writes a consistent copy of the whole database to w while others keep using it.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// Secret returns a random secret of 32 bytes stored under name, creating it on first use
// (for example the key that signs admin session cookies).
func (s *Store) Secret(name string) ([]byte, error) {
	var out []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
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
