package storage

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// UpdateDraft replaces the questionnaire of draft survey id with q, which may carry a new id:
// the survey office edits next year's survey in the browser until it opens it. Only a draft
// changes, and only while nothing hangs on what would change:
//   - a survey with responses (imported) cannot change at all: they are stored by the
//     questionnaire's question order and section codes;
//   - a survey with answer codes keeps its id, and every section that holds codes stays a
//     leaf section (codes are issued per leaf section);
//   - the new id must be free.
//
// An open or closed survey's questionnaire never changes (ESTATE). Nothing is stored unless q
// validates.
func (s *Store) UpdateDraft(id string, q *survey.Questionnaire) error {
	if err := q.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("update draft: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		st, err := getState(tx, id)
		if err != nil {
			return err
		}
		if st.State != survey.StateDraft {
			return survey.Errorf(survey.ESTATE, "調査 %q は%sのため、調査票を変更できません（変更できるのは準備中の調査だけです）",
				"survey %q is %s: only a draft survey's questionnaire can change", id, survey.StateTitle(st.State).JA, strings.ToLower(survey.StateTitle(st.State).EN))
		}
		if st.Responses > 0 {
			return survey.Errorf(survey.ESTATE, "調査 %q には取り込み済みの回答があるため、調査票を変更できません",
				"survey %q has imported responses: its questionnaire cannot change", id)
		}
		tokens := map[string]bool{}
		if err := tx.Bucket(bucketTokens).Bucket([]byte(id)).ForEach(func(_, v []byte) error {
			tokens[string(v[1:])] = true
			return nil
		}); err != nil {
			return err
		}
		if q.ID != id && len(tokens) > 0 {
			return survey.Errorf(survey.ESTATE, "調査 %q は回答用コードを発行済みのため、調査 ID を変更できません",
				"survey %q has answer codes: its id cannot change", id)
		}
		for code := range tokens {
			if !q.IsLeaf(code) {
				return survey.Errorf(survey.ESTATE, "所属 %q には回答用コードを発行済みのため、廃止したり下に所属を置いたりできません",
					"section %q has answer codes: it must stay a section without sections below it", code)
			}
		}
		if q.ID != id {
			if err := renameDraft(tx, id, q.ID); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketQuestionnaires).Put([]byte(q.ID), data)
	})
}

// renameDraft moves an empty draft survey from id to to: its state and its (empty) buckets.
// The questionnaire itself is put by the caller.
func renameDraft(tx *bolt.Tx, id, to string) error {
	if tx.Bucket(bucketQuestionnaires).Get([]byte(to)) != nil {
		return survey.Errorf(survey.ECONFLICT, "調査 %q はすでにあります", "survey %q exists already", to)
	}
	st := tx.Bucket(bucketStates).Get([]byte(id))
	if err := tx.Bucket(bucketStates).Put([]byte(to), st); err != nil {
		return err
	}
	for _, b := range [][]byte{bucketQuestionnaires, bucketStates} {
		if err := tx.Bucket(b).Delete([]byte(id)); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketTokens, bucketResponses, bucketBallots, bucketCounts, bucketComments} {
		parent := tx.Bucket(b)
		if parent.Bucket([]byte(id)) != nil {
			if err := parent.DeleteBucket([]byte(id)); err != nil {
				return err
			}
		}
		if _, err := parent.CreateBucketIfNotExists([]byte(to)); err != nil {
			return err
		}
	}
	return nil
}
