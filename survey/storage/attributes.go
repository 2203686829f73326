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
// keeps instead of them.
type Aggregator func(q *survey.Questionnaire, rs []*survey.Response) ([]byte, error)

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

// openBoxSums is openBox for a survey with attributes: it keeps the respondent counts per
// section, the comments apart under the nearest group where comments may be shown, and the
// aggregated state of rs — never a record. Sums cannot take more responses later.
func openBoxSums(tx *bolt.Tx, q *survey.Questionnaire, rs []*survey.Response) error {
	id := []byte(q.ID)
	sums, err := tx.CreateBucketIfNotExists(bucketSums)
	if err != nil {
		return err
	}
	if sums.Get(id) != nil {
		if len(rs) == 0 {
			return nil // closing a survey whose responses were imported
		}
		return errSumsAppend(q)
	}
	if k, _ := tx.Bucket(bucketResponses).Bucket(id).Cursor().First(); k != nil {
		return errSumsAppend(q) // cannot happen: such a survey never stores records
	}
	aggregator.RLock()
	aggregate := aggregator.fn
	aggregator.RUnlock()
	if aggregate == nil {
		return errNoAggregator(q)
	}
	data, err := aggregate(q, rs)
	if err != nil {
		return err
	}
	if err := sums.Put(id, data); err != nil {
		return err
	}
	own := map[string]int{}
	for _, r := range rs {
		own[r.Section]++
	}
	cb, err := tx.Bucket(bucketCounts).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	for code, n := range own {
		if err := cb.Put([]byte(code), binary.BigEndian.AppendUint64(nil, uint64(n))); err != nil {
			return err
		}
	}
	g := survey.Generalise(q, own)
	var detached []detachedComment
	for _, r := range rs {
		for i, text := range r.Comments {
			if text != "" {
				detached = append(detached, detachedComment{section: g.Comments(r.Section), question: i, text: text})
			}
		}
	}
	comments, err := tx.Bucket(bucketComments).CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	return putComments(comments, detached)
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
