package storage

import (
	"encoding/binary"
	"sync"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// A survey with attributes keeps no per-respondent record once its ballot box is opened, at
// close and at import alike (docs/anonymity.md): a record with a section and attributes
// singles people out (the one 50代 of a team of twelve), and records beside exact attribute
// tables let an integer program rebuild who is in which group. The store keeps instead what an
// Aggregator makes of the opened responses — the sums the reports need, for the groups a report
// may show — under the sums bucket, beside the respondent counts per section and the comments,
// which are stored apart from everything (rule 7), as for any closed survey.
//
// The aggregation is the analysis package's (analysis.Aggregate), which the store may not
// import: the command wires it with SetAggregator. Without one, opening such a box is refused
// and nothing changes.

// bucketSums maps a survey id to its aggregated state (a survey with attributes only).
var bucketSums = []byte("sums")

// Aggregator turns the opened responses of a survey with attributes into the state the store
// keeps instead of them. each calls its argument with every response, one at a time, in no
// particular order, and stops at its first error; a *Response is valid only during that call
// (a close decodes the next record into it), so the aggregation keeps nothing of it.
type Aggregator func(q *survey.Questionnaire, each func(fn func(*survey.Response) error) error) ([]byte, error)

var aggregator struct {
	sync.RWMutex
	fn Aggregator
}

// SetAggregator sets the aggregation of surveys with attributes for every store of the
// process (the command calls it once at start with analysis.Aggregate).
func SetAggregator(fn Aggregator) {
	aggregator.Lock()
	defer aggregator.Unlock()
	aggregator.fn = fn
}

func errNoAggregator(q *survey.Questionnaire) error {
	return survey.Errorf(survey.EINVALID,
		"調査 %q は属性を尋ねるため集計値だけを保存しますが、このプログラムには集計の仕組みが組み込まれていません。終了（開票）と取り込みはできません（封をした回答はそのまま残ります）",
		"survey %q asks attributes and keeps only sums, but this program has no aggregation wired in; it cannot be closed (its ballot box opened) or imported into (sealed answers stay as they are)",
		q.ID)
}

func errSumsAppend(q *survey.Questionnaire) error {
	return survey.Errorf(survey.ECONFLICT,
		"調査 %q は属性を尋ねるため、回答を個票ではなく集計値で保存しています。集計値に回答を追加することはできません（--append 不可）。追加するには調査を作り直し、すべての回答をまとめて取り込んでください",
		"survey %q asks attributes and keeps sums, not records: responses cannot be added to them (no --append); create the survey afresh and import every response at once",
		q.ID)
}

// openBoxSums is openBox for a survey with attributes, whose n responses each yields (as
// the Aggregator's each: one at a time, valid only during the call): it keeps the respondent
// counts per section, the comments apart under the nearest group where comments may be shown,
// and the aggregated state of the responses — never a record. Sums cannot take more responses
// later.
func openBoxSums(tx *bolt.Tx, q *survey.Questionnaire, n int, each func(fn func(*survey.Response) error) error) error {
	b, err := newSumsBox(tx, q, n)
	if err != nil {
		return err
	}
	if err := b.gather(each); err != nil {
		return err
	}
	return b.store(tx)
}

// sumsBox is openBoxSums in three steps, so that a close can gather the responses (which
// needs no transaction) while its transaction does other work: newSumsBox checks, in the
// transaction, everything that can refuse before the first response is opened; gather
// aggregates the responses as they come; store writes what is kept, in the transaction.
type sumsBox struct {
	q         *survey.Questionnaire
	aggregate Aggregator // nil: nothing to do (a survey whose responses were imported)
	// What gather keeps besides the sums: each section's count, and the comments with their
	// true sections until the counts say where each may be shown.
	data     []byte
	own      map[string]int
	detached []detachedComment
}

func newSumsBox(tx *bolt.Tx, q *survey.Questionnaire, n int) (*sumsBox, error) {
	id := []byte(q.ID)
	sums, err := tx.CreateBucketIfNotExists(bucketSums)
	if err != nil {
		return nil, err
	}
	if sums.Get(id) != nil {
		if n == 0 {
			return &sumsBox{q: q}, nil // closing a survey whose responses were imported
		}
		return nil, errSumsAppend(q)
	}
	if k, _ := tx.Bucket(bucketResponses).Bucket(id).Cursor().First(); k != nil {
		return nil, errSumsAppend(q) // cannot happen: such a survey never stores records
	}
	aggregator.RLock()
	aggregate := aggregator.fn
	aggregator.RUnlock()
	if aggregate == nil {
		return nil, errNoAggregator(q)
	}
	return &sumsBox{q: q, aggregate: aggregate, own: map[string]int{}}, nil
}

func (b *sumsBox) gather(each func(fn func(*survey.Response) error) error) error {
	if b.aggregate == nil {
		return nil
	}
	var err error
	b.data, err = b.aggregate(b.q, func(fn func(*survey.Response) error) error {
		return each(func(r *survey.Response) error {
			b.own[r.Section]++
			for i, text := range r.Comments {
				if text != "" {
					b.detached = append(b.detached, detachedComment{section: r.Section, question: i, text: text})
				}
			}
			return fn(r)
		})
	})
	return err
}

func (b *sumsBox) store(tx *bolt.Tx) error {
	if b.aggregate == nil {
		return nil
	}
	id := []byte(b.q.ID)
	if err := tx.Bucket(bucketSums).Put(id, b.data); err != nil {
		return err
	}
	cb, err := tx.Bucket(bucketCounts).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	for code, n := range b.own {
		if err := cb.Put([]byte(code), binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
			return err
		}
	}
	g := survey.Generalise(b.q, b.own)
	for i := range b.detached {
		b.detached[i].section = g.Comments(b.detached[i].section)
	}
	comments, err := tx.Bucket(bucketComments).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	return putComments(comments, b.detached)
}

// Sums returns the aggregated state kept for survey id instead of its responses, or nil for a
// survey that keeps records (one without attributes) or has not been closed or imported into.
func (s *Store) Sums(id string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSums); b != nil {
			if v := b.Get([]byte(id)); v != nil {
				out = append([]byte(nil), v...)
			}
		}
		return nil
	})
	return out, err
}
