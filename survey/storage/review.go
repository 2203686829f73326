package storage

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// The review of comments that may name a person (docs/anonymity.md, "Names in comments"):
// such a comment is shown nowhere until an admin either marks it harmless or redacts it.
// A mark is kept by survey.CommentID, a hash of the question and the text, which are in the
// store anyway; a redaction rewrites the text in every record that holds it and compacts the
// file, so that the original is gone from it, and keeps no trace of the original text.

var bucketMarks = []byte("comment-marks") // survey id → {survey.CommentID → Mark JSON}

// Mark is an admin's decision that a flagged comment names no one, or no one it may not.
type Mark struct {
	By   string    `json:"by"`
	Time time.Time `json:"time"`
}

// MarkHarmless records that the comment with id commentID of closed survey surveyID may be
// shown although it seemed to name a person. It changes the survey's revision, so that
// cached results are made anew.
func (s *Store) MarkHarmless(surveyID, commentID, by string) error {
	data, err := json.Marshal(Mark{By: by, Time: time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("mark harmless: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		st, err := reviewable(tx, surveyID)
		if err != nil {
			return err
		}
		b, err := tx.Bucket(bucketMarks).CreateBucketIfNotExists([]byte(surveyID))
		if err != nil {
			return err
		}
		if err := b.Put([]byte(commentID), data); err != nil {
			return err
		}
		st.Revision++
		return putState(tx, surveyID, st)
	})
}

// Harmless returns the ids of the comments of survey surveyID marked harmless.
func (s *Store) Harmless(surveyID string) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMarks).Bucket([]byte(surveyID))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out[string(k)] = true
			return nil
		})
	})
	return out, err
}

// Redact replaces text, the answer to the question-th comment question of closed survey
// surveyID, by redacted in every record that holds it — responses and comments stored apart
// alike — and then compacts the file, so that no page of it keeps the original. It returns
// how many comments it changed; none is ENOTFOUND. A mark of the original text is dropped
// with it: the store keeps neither the text nor its hash.
func (s *Store) Redact(surveyID string, question int, text, redacted string) (int, error) {
	if text == redacted {
		return 0, survey.Errorf(survey.EINVALID, "伏せる語がありません：記述は変わりません", "nothing to hide: the comment would not change")
	}
	if !utf8.ValidString(redacted) {
		return 0, survey.Errorf(survey.EINVALID, "伏せた記述に不正な文字が含まれています", "the redacted comment is not valid UTF-8")
	}
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		st, err := reviewable(tx, surveyID)
		if err != nil {
			return err
		}
		q, err := s.questionnaire(tx, surveyID)
		if err != nil {
			return err
		}
		if question < 0 || question >= len(q.Comments) {
			return survey.Errorf(survey.EINVALID, "自由記述の設問 %d はありません", "no comment question %d", question)
		}
		if n, err = redactResponses(tx.Bucket(bucketResponses).Bucket([]byte(surveyID)), question, text, redacted); err != nil {
			return err
		}
		m, err := redactApart(tx.Bucket(bucketComments).Bucket([]byte(surveyID)), question, text, redacted)
		if err != nil {
			return err
		}
		if n += m; n == 0 {
			return survey.Errorf(survey.ENOTFOUND, "その記述は見つかりません（すでに伏せられたか、変更されています）",
				"no such comment (it may have been redacted or changed already)")
		}
		if b := tx.Bucket(bucketMarks).Bucket([]byte(surveyID)); b != nil {
			if err := b.Delete([]byte(survey.CommentID(q.Comments[question].ID, text))); err != nil {
				return err
			}
		}
		if err := dropEditionComment(tx, surveyID, survey.CommentID(q.Comments[question].ID, text)); err != nil {
			return err
		}
		st.Revision++
		return putState(tx, surveyID, st)
	})
	if err != nil {
		return 0, err
	}
	// The old records' pages are free, not wiped: only a new file is rid of them.
	return n, s.compact(nil)
}

// reviewable returns the state of survey id when its comments may be reviewed: closed, and
// not still closing (its compaction would carry the pages of a redaction in flight).
func reviewable(tx *bolt.Tx, id string) (surveyState, error) {
	st, err := getState(tx, id)
	if err != nil {
		return st, err
	}
	if st.State != survey.StateClosed || st.Closing {
		return st, survey.Errorf(survey.ESTATE, "調査 %q は終了していないため、自由記述を確認できません",
			"survey %q is not closed: its comments cannot be reviewed yet", id)
	}
	return st, nil
}

func redactResponses(b *bolt.Bucket, question int, text, redacted string) (int, error) {
	r := new(survey.Response)
	return rewrite(b, func(v []byte) ([]byte, error) {
		if err := r.UnmarshalBinary(v); err != nil {
			return nil, err
		}
		if question >= len(r.Comments) || r.Comments[question] != text {
			return nil, nil
		}
		r.Comments[question] = redacted
		return r.MarshalBinary()
	})
}

func redactApart(b *bolt.Bucket, question int, text, redacted string) (int, error) {
	return rewrite(b, func(v []byte) ([]byte, error) {
		c, err := decodeComment(v)
		if err != nil || c.question != question || c.text != text {
			return nil, err
		}
		c.text = redacted
		return encodeComment(c), nil
	})
}
