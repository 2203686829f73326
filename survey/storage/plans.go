package storage

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// Action plans: ordinary records written by managers about a closed survey's results
// (survey.Plan). They hold nothing about respondents.

var bucketPlans = []byte("plans") // survey id → {plan id → Plan JSON}

// PutPlan creates or replaces plan p of a closed survey, after checking it against the
// survey's questionnaire.
func (s *Store) PutPlan(p *survey.Plan) error {
	return s.update(func(tx *bolt.Tx) error {
		sv, err := s.survey(tx, p.Survey)
		if err != nil {
			return err
		}
		if sv.State != survey.StateClosed {
			return survey.Errorf(survey.ESTATE, "調査 %q はまだ終了していません。計画は結果が出てから立てます。",
				"Survey %q is not closed: plans answer its results.", p.Survey)
		}
		if err := p.Validate(sv.Questionnaire); err != nil {
			return err
		}
		data, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("put plan: %w", err)
		}
		b, err := tx.Bucket(bucketPlans).CreateBucketIfNotExists([]byte(p.Survey))
		if err != nil {
			return err
		}
		return b.Put([]byte(p.ID), data)
	})
}

// Plan returns plan id of survey surveyID.
func (s *Store) Plan(surveyID, id string) (*survey.Plan, error) {
	var p *survey.Plan
	err := s.view(func(tx *bolt.Tx) error {
		var data []byte
		if b := tx.Bucket(bucketPlans).Bucket([]byte(surveyID)); b != nil {
			data = b.Get([]byte(id))
		}
		if data == nil {
			return survey.Errorf(survey.ENOTFOUND, "計画 %q はありません", "no plan %q", id)
		}
		p = new(survey.Plan)
		return json.Unmarshal(data, p)
	})
	return p, err
}

// Plans returns the plans of survey surveyID, by section code and then creation time.
func (s *Store) Plans(surveyID string) ([]*survey.Plan, error) {
	var out []*survey.Plan
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPlans).Bucket([]byte(surveyID))
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			p := new(survey.Plan)
			if err := json.Unmarshal(v, p); err != nil {
				return fmt.Errorf("plans of %s: %w", surveyID, err)
			}
			out = append(out, p)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Section != out[j].Section {
			return out[i].Section < out[j].Section
		}
		return out[i].Created.Before(out[j].Created)
	})
	return out, err
}

// DeletePlan removes plan id of survey surveyID.
func (s *Store) DeletePlan(surveyID, id string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPlans).Bucket([]byte(surveyID))
		if b == nil || b.Get([]byte(id)) == nil {
			return survey.Errorf(survey.ENOTFOUND, "計画 %q はありません", "no plan %q", id)
		}
		return b.Delete([]byte(id))
	})
}
