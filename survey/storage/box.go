package storage

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
	"staffsurvey/survey/ballot"
)

// The ballot box opened only by its custodians (docs/anonymity.md, rule 3). Opening a survey
// makes an HPKE key pair (package ballot), hands its private key out as Shamir shares, one per
// custodian, and keeps only the public key, in the database: no file, no log and no backup
// ever holds a key that opens the box. Submit seals every response to the public key; closing
// takes t shares, rebuilds the private key in memory, opens the box and wipes the key.
//
// Surveys opened by earlier versions keep their AES key file beside the database (ballot.go)
// and close with it; nothing new writes one.

// boxInfo is what the database keeps of an open survey's ballot box (bucketMeta, boxName).
type boxInfo struct {
	PublicKey  []byte   `json:"public_key"`
	Threshold  int      `json:"threshold"`
	Custodians []string `json:"custodians"`
}

func boxName(id string) []byte { return []byte("ballot-box/" + id) }

// getBox returns survey id's ballot box, or nil when it has none (not open, or opened by an
// earlier version).
func getBox(tx *bolt.Tx, id string) (*boxInfo, error) {
	data := tx.Bucket(bucketMeta).Get(boxName(id))
	if data == nil {
		return nil, nil
	}
	var b boxInfo
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("ballot box of %s: %w", id, err)
	}
	return &b, nil
}

// BallotBox is what may be shown of an open survey's ballot box: who holds its shares, how
// many of them open it, and the fingerprint every share of it carries.
type BallotBox struct {
	Custodians  []string
	Threshold   int
	Fingerprint string
	// KeyFile is set for a survey opened by an earlier version: it closes with its key file,
	// without shares.
	KeyFile bool
}

// BallotBox returns survey id's ballot box, or nil when closing it needs no shares (a draft, a
// closed survey, or one opened by an earlier version: then KeyFile is set).
func (s *Store) BallotBox(id string) (*BallotBox, error) {
	var out *BallotBox
	err := s.view(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil || st.State != survey.StateOpen {
			return err
		}
		b, err := getBox(tx, id)
		if err != nil {
			return err
		}
		if b == nil {
			out = &BallotBox{KeyFile: true}
			return nil
		}
		out = &BallotBox{Custodians: b.Custodians, Threshold: b.Threshold, Fingerprint: ballot.FingerprintText(ballot.Fingerprint(b.PublicKey))}
		return nil
	})
	return out, err
}

// CheckShare parses a share typed for survey id and checks it against the survey's ballot box
// on its own: a typo, a share of another survey or a malformed share is named at once.
func (s *Store) CheckShare(id, text string) (ballot.Share, error) {
	sh, err := ballot.ParseShare(text)
	if err != nil {
		return sh, err
	}
	var b *boxInfo
	if err := s.view(func(tx *bolt.Tx) (err error) { b, err = getBox(tx, id); return err }); err != nil {
		return sh, err
	}
	if b == nil {
		return sh, survey.Errorf(survey.ESTATE, "調査 %q には割符で開く投票箱がありません", "survey %q has no ballot box opened by shares", id)
	}
	return sh, sh.Check(ballot.Fingerprint(b.PublicKey))
}

// Custodians names the custodians (開票立会人) of a ballot box and how many of them open it.
type Custodians struct {
	Names     []string
	Threshold int // 0: ballot.DefaultThreshold
}

// validate checks the names: 2–9 of them, none empty, none twice.
func (c *Custodians) validate() error {
	if c.Threshold == 0 {
		c.Threshold = ballot.DefaultThreshold
	}
	seen := map[string]bool{}
	for i, n := range c.Names {
		n = strings.TrimSpace(n)
		c.Names[i] = n
		if n == "" {
			return survey.Errorf(survey.EINVALID, "開票立会人 %d 人目の名前が空です", "custodian no. %d has no name", i+1)
		}
		if seen[n] {
			return survey.Errorf(survey.EINVALID, "開票立会人 %q が 2 回指定されています（一人に一つの割符を渡します）", "custodian %q is named twice (each gets one share)", n)
		}
		if len([]rune(n)) > 60 {
			return survey.Errorf(survey.EINVALID, "開票立会人の名前は 60 文字までです", "a custodian's name has at most 60 characters")
		}
		seen[n] = true
	}
	return nil
}

// OpenSurvey opens draft survey id and its ballot box: a fresh key pair whose private key is
// split among the custodians, threshold of them needed to close. It returns the box — the
// shares, in the order of c.Names, to hand each custodian once; they are nowhere else, and
// the store keeps only the public key. Fewer than the threshold of them, and the answers are lost.
func (s *Store) OpenSurvey(id string, c Custodians) (*ballot.Box, error) {
	c.Names = append([]string(nil), c.Names...)
	if err := c.validate(); err != nil {
		return nil, err
	}
	box, err := ballot.NewBox(len(c.Names), c.Threshold)
	if err != nil {
		return nil, err
	}
	info, err := json.Marshal(boxInfo{PublicKey: box.PublicKey, Threshold: c.Threshold, Custodians: c.Names})
	if err != nil {
		return nil, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if st.State == survey.StateOpen {
			return survey.Errorf(survey.ESTATE, "調査 %q はすでに「%s」です", "survey %q is already %s", id, survey.StateTitle(survey.StateOpen))
		}
		if !survey.CanTransition(st.State, survey.StateOpen) {
			return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
				JA: fmt.Sprintf("調査 %q は「%s」なので「%s」にできません", id, survey.StateTitle(st.State).JA, survey.StateTitle(survey.StateOpen).JA),
				EN: fmt.Sprintf("survey %q is %s and cannot become %s", id, st.State, survey.StateOpen)}}
		}
		if err := tx.Bucket(bucketMeta).Put(boxName(id), info); err != nil {
			return err
		}
		st.State = survey.StateOpen
		return putState(tx, id, st)
	})
	if err != nil {
		return nil, err
	}
	return box, nil
}

// publicKey returns the parsed public key of survey id's box, parsing it once per process.
func (s *Store) publicKey(id string, b *boxInfo) (*ballot.PublicKey, error) {
	s.keyMu.RLock()
	pk := s.pubs[id]
	s.keyMu.RUnlock()
	if pk != nil {
		return pk, nil
	}
	pk, err := ballot.ParsePublicKey(b.PublicKey)
	if err != nil {
		return nil, err
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if other := s.pubs[id]; other != nil {
		return other, nil
	}
	// Submissions seal inside the write transaction they share: the costly encapsulations
	// are made ahead, on every CPU, so that the transaction only encrypts.
	s.stopPrepared[id] = pk.Prepare(id, preparedSenders, runtime.GOMAXPROCS(0))
	s.pubs[id] = pk
	return pk, nil
}

// preparedSenders is how many encapsulations an open survey keeps ready: a few batches' worth.
const preparedSenders = 256

// dropPublicKey forgets survey id's public key and stops making senders for it (its box is
// opened, or the store is closing).
func (s *Store) dropPublicKey(id string) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if stop := s.stopPrepared[id]; stop != nil {
		stop()
	}
	delete(s.stopPrepared, id)
	delete(s.pubs, id)
}

// sealRecord seals a response record of open survey id for its ballot box: to the box's public
// key, or, for a survey opened by an earlier version, with its key file. Both are kept in
// memory from the first submission on (and dropped when the box is opened), so that a
// submission neither decodes the box nor looks for a key file.
func (s *Store) sealRecord(tx *bolt.Tx, id string, record []byte) ([]byte, error) {
	s.keyMu.RLock()
	pk, aead := s.pubs[id], s.keys[id]
	s.keyMu.RUnlock()
	switch {
	case pk != nil:
		return pk.Seal(id, record)
	case aead != nil:
		return seal(aead, id, record)
	}
	b, err := getBox(tx, id)
	if err != nil {
		return nil, err
	}
	if b != nil {
		pk, err := s.publicKey(id, b)
		if err != nil {
			return nil, err
		}
		return pk.Seal(id, record)
	}
	return s.sealWithKeyFile(tx, id, record)
}

// opener opens the sealed records of one survey at close: a rebuilt ballot key, or the AES key
// file of a survey opened by an earlier version.
type opener func(sealed []byte) ([]byte, error)

// openEach opens sealed, the records of survey id's ballot box, and calls fn with each opened
// response as soon as it is opened, in no particular order, on the caller's goroutine, while
// GOMAXPROCS workers go on opening the next ones: the HPKE decapsulation of each record
// (about 0.12 ms of CPU) is the cost of a close, so every core decapsulates from the first
// record to the last, and what fn does with the responses (aggregation, counting) runs beside
// it instead of after it. Workers take the next record as they finish one, so a worker that the
// machine's other load slows down holds nobody up. Opened responses wait in a bounded queue,
// and nothing of a response outlives fn: the *Response fn receives is reused for another
// record once fn returns, so fn copies what it keeps. The first error, of a record or of fn,
// stops the opening and is returned.
func openEach(open opener, id string, sealed [][]byte, fn func(*survey.Response) error) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(sealed)/64))
	const queue = 64 // opened responses waiting for fn, per worker
	opened := make(chan *survey.Response, queue*workers)
	// Responses fn is done with, for the workers to decode into: a close allocates about as
	// many responses as the queue holds, not one per record.
	spare := make(chan *survey.Response, queue*workers+workers)
	var next atomic.Int64
	var stop atomic.Bool
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for !stop.Load() {
				i := next.Add(1) - 1
				if i >= int64(len(sealed)) {
					return
				}
				plain, err := open(sealed[i])
				if err != nil {
					errs[w] = err
					stop.Store(true)
					return
				}
				var r *survey.Response
				select {
				case r = <-spare:
				default:
					r = &survey.Response{Survey: id}
				}
				if err := r.UnmarshalBinary(plain); err != nil {
					errs[w] = err
					stop.Store(true)
					return
				}
				opened <- r
			}
		})
	}
	go func() {
		wg.Wait()
		close(opened)
	}()
	var err error
	for r := range opened { // drained to the end, so that no worker waits forever
		if err == nil {
			if err = fn(r); err != nil {
				stop.Store(true)
			}
		}
		select {
		case spare <- r:
		default:
		}
	}
	if err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
