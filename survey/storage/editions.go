package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"staffsurvey/survey"
)

// Staff editions (survey.Edition): read-only links to a closed survey's results for all staff.
//
// The key is the SHA-256 of the link's token, so that a request is looked up by the hash of
// what it brings and no comparison runs over the secret itself. The token is kept as well, in
// the value, so that the survey office can copy the link again from the admin page: the link
// is meant to be handed to every member of staff, and the page behind it shows only what
// every member of staff may see — numbers suppressed exactly as on the reports, comments that
// already passed the comment rule — so whoever holds the file (which holds every response)
// learns nothing more from it. Keeping only the hash would show the link once, and a lost
// link would leave a live one nobody can name and a second published to replace it. What
// protects the link is that it is long and random, that guessing is rate-limited, and that
// revoking it deletes the record at once.

var bucketEditions = []byte("editions") // hex sha256(token) → survey.Edition JSON

// editionTokenBytes is the randomness of an edition link.
const editionTokenBytes = 32

func editionKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(h[:]))
}

var errNoEdition = survey.Errorf(survey.ENOTFOUND, "公開版が見つかりません", "no such staff edition")

// PublishEdition makes a new staff edition of closed survey surveyID, published by user, with
// the chosen comments (survey.CommentID values), and returns it with its token. A survey that
// is not closed gets ESTATE.
func (s *Store) PublishEdition(surveyID, user string, comments []string) (*survey.Edition, error) {
	if err := checkEditionComments(comments); err != nil {
		return nil, err
	}
	raw := make([]byte, editionTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("publish edition: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	key := editionKey(token)
	ed := &survey.Edition{ID: string(key[:16]), Token: token, Survey: surveyID, Comments: slices.Clone(comments),
		By: user, Created: time.Now().UTC().Truncate(time.Second)}
	data, err := json.Marshal(ed)
	if err != nil {
		return nil, fmt.Errorf("publish edition: %w", err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		if err := closedSurvey(s, tx, surveyID); err != nil {
			return err
		}
		return tx.Bucket(bucketEditions).Put(key, data)
	})
	if err != nil {
		return nil, err
	}
	return ed, nil
}

func closedSurvey(s *Store, tx *bolt.Tx, id string) error {
	sv, err := s.survey(tx, id)
	if err != nil {
		return err
	}
	if sv.State != survey.StateClosed {
		return survey.Errorf(survey.ESTATE, "調査 %q はまだ終了していません。公開版は終了した調査だけ作れます。",
			"Survey %q is not closed: only a closed survey's results can be published.", id)
	}
	return nil
}

func checkEditionComments(ids []string) error {
	if len(ids) > survey.MaxEditionComments {
		return survey.Errorf(survey.EINVALID, "選べる提案は %d 件までです", "choose at most %d suggestions", survey.MaxEditionComments)
	}
	for _, id := range ids {
		if len(id) != 24 {
			return survey.Errorf(survey.EINVALID, "提案の指定 %q が正しくありません", "bad suggestion id %q", id)
		}
		if _, err := hex.DecodeString(id); err != nil {
			return survey.Errorf(survey.EINVALID, "提案の指定 %q が正しくありません", "bad suggestion id %q", id)
		}
	}
	return nil
}

// EditionByToken returns the edition whose link carries token, or ENOTFOUND — the same for a
// token never issued and one revoked.
func (s *Store) EditionByToken(token string) (*survey.Edition, error) {
	if token == "" || len(token) > 128 {
		return nil, errNoEdition
	}
	var ed *survey.Edition
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEditions).Get(editionKey(token))
		if v == nil {
			return errNoEdition
		}
		ed = new(survey.Edition)
		return json.Unmarshal(v, ed)
	})
	if err != nil {
		return nil, err
	}
	return ed, nil
}

// Editions returns the editions of survey surveyID, oldest first.
func (s *Store) Editions(surveyID string) ([]*survey.Edition, error) {
	var out []*survey.Edition
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEditions).ForEach(func(_, v []byte) error {
			ed := new(survey.Edition)
			if err := json.Unmarshal(v, ed); err != nil {
				return fmt.Errorf("editions: %w", err)
			}
			if ed.Survey == surveyID {
				out = append(out, ed)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, err
}

// findEdition returns the key and the edition id of survey surveyID, or ENOTFOUND.
func findEdition(tx *bolt.Tx, surveyID, id string) ([]byte, *survey.Edition, error) {
	if len(id) != 16 {
		return nil, nil, errNoEdition
	}
	c := tx.Bucket(bucketEditions).Cursor()
	for k, v := c.Seek([]byte(id)); k != nil && string(k[:16]) == id; k, v = c.Next() {
		ed := new(survey.Edition)
		if err := json.Unmarshal(v, ed); err != nil {
			return nil, nil, fmt.Errorf("edition %s: %w", id, err)
		}
		if ed.Survey == surveyID && ed.ID == id {
			return slices.Clone(k), ed, nil
		}
	}
	return nil, nil, errNoEdition
}

// RevokeEdition deletes edition id of survey surveyID: its link answers like one never
// issued from then on.
func (s *Store) RevokeEdition(surveyID, id string) error {
	return s.update(func(tx *bolt.Tx) error {
		key, _, err := findEdition(tx, surveyID, id)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketEditions).Delete(key)
	})
}

// UpdateEdition replaces the chosen comments of edition id of survey surveyID, which must
// still be closed, and returns the edition.
func (s *Store) UpdateEdition(surveyID, id string, comments []string) (*survey.Edition, error) {
	if err := checkEditionComments(comments); err != nil {
		return nil, err
	}
	var ed *survey.Edition
	err := s.update(func(tx *bolt.Tx) error {
		if err := closedSurvey(s, tx, surveyID); err != nil {
			return err
		}
		key, found, err := findEdition(tx, surveyID, id)
		if err != nil {
			return err
		}
		found.Comments = slices.Clone(comments)
		data, err := json.Marshal(found)
		if err != nil {
			return fmt.Errorf("update edition: %w", err)
		}
		ed = found
		return tx.Bucket(bucketEditions).Put(key, data)
	})
	if err != nil {
		return nil, err
	}
	return ed, nil
}

// SetEditionAttributes replaces the attributes whose option groups edition id of survey
// surveyID shows, which must be attributes of the survey (and the survey still closed), and
// returns the edition.
func (s *Store) SetEditionAttributes(surveyID, id string, attributes []string) (*survey.Edition, error) {
	var ed *survey.Edition
	err := s.update(func(tx *bolt.Tx) error {
		if err := closedSurvey(s, tx, surveyID); err != nil {
			return err
		}
		sv, err := s.survey(tx, surveyID)
		if err != nil {
			return err
		}
		for _, a := range attributes {
			if !slices.ContainsFunc(sv.Questionnaire.Attributes, func(at survey.Attribute) bool { return at.ID == a }) {
				return survey.Errorf(survey.EINVALID, "属性 %q はこの調査にありません", "no attribute %q in this survey", a)
			}
		}
		key, found, err := findEdition(tx, surveyID, id)
		if err != nil {
			return err
		}
		found.Attributes = slices.Compact(slices.Sorted(slices.Values(attributes)))
		data, err := json.Marshal(found)
		if err != nil {
			return fmt.Errorf("edition attributes: %w", err)
		}
		ed = found
		return tx.Bucket(bucketEditions).Put(key, data)
	})
	if err != nil {
		return nil, err
	}
	return ed, nil
}

// dropEditionComment removes commentID from the chosen suggestions of every edition of
// survey surveyID. Redact calls it in its transaction: the id is a hash of the original text,
// which a redaction must leave nowhere in the file (a guessed name could be checked against it).
func dropEditionComment(tx *bolt.Tx, surveyID, commentID string) error {
	_, err := rewrite(tx.Bucket(bucketEditions), func(v []byte) ([]byte, error) {
		ed := new(survey.Edition)
		if err := json.Unmarshal(v, ed); err != nil {
			return nil, fmt.Errorf("edition: %w", err)
		}
		if ed.Survey != surveyID || !slices.Contains(ed.Comments, commentID) {
			return nil, nil
		}
		ed.Comments = slices.DeleteFunc(ed.Comments, func(id string) bool { return id == commentID })
		return json.Marshal(ed)
	})
	return err
}
