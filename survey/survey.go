package survey

// Lifecycle states of a survey: draft → open → closed (close also works from draft).
const (
	StateDraft  = "draft"
	StateOpen   = "open"
	StateClosed = "closed"
)

// Survey is a stored questionnaire with its lifecycle state.
type Survey struct {
	Questionnaire *Questionnaire `json:"questionnaire"`
	State         string         `json:"state"`
	// Revision changes whenever the survey's responses change, so that derived results
	// (the analysis of a closed survey) can be cached and invalidated.
	Revision uint64 `json:"revision"`
	// Responses is the number of stored responses.
	Responses int `json:"responses"`
	// Closing is true for a closed survey whose ballot key is not yet destroyed or whose file
	// is not yet compacted, after a crash: closing it again finishes the job.
	Closing bool `json:"closing,omitempty"`
}

// ID returns the survey id (the questionnaire's id).
func (s *Survey) ID() string { return s.Questionnaire.ID }

// CanTransition reports whether a survey may go from state from to state to.
func CanTransition(from, to string) bool {
	switch to {
	case StateOpen:
		return from == StateDraft
	case StateClosed:
		return from == StateDraft || from == StateOpen
	}
	return false
}

// StateTitle names a lifecycle state for people, in messages and on pages.
func StateTitle(state string) Text {
	switch state {
	case StateDraft:
		return Text{JA: "準備中", EN: "Draft"}
	case StateOpen:
		return Text{JA: "回答受付中", EN: "Open"}
	case StateClosed:
		return Text{JA: "終了", EN: "Closed"}
	}
	return Text{JA: state, EN: state}
}
