package survey

import (
	"errors"
	"fmt"
)

// Error codes. Every adapter maps them to its own world in one place
// (the web package to HTTP statuses, the command line to exit messages).
const (
	EINVALID   = "invalid"   // the input breaks a rule; the message says which
	ENOTFOUND  = "not_found" // no such survey, section, token or user
	ECONFLICT  = "conflict"  // the thing exists already, or a token was used
	EGONE      = "gone"      // the survey is not open for answers
	ESTATE     = "state"     // the survey is in the wrong lifecycle state for this
	EBUSY      = "busy"      // another process holds the database
	ETOOLARGE  = "too_large" // the request body is larger than allowed
	EFORBIDDEN = "forbidden" // the role may not do this
	EINTERNAL  = "internal"  // a bug or an I/O failure; details are logged, not shown
)

// Error is the one error type of staffsurvey that carries a message for people.
// Code is machine-readable; Message is what a user reads, Japanese first.
// Err, when set, is the underlying cause for logs and never shown to users.
type Error struct {
	Code    string
	Message Text
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message.EN, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message.EN)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a Japanese and an English message, each formatted with the
// arguments in its own language: an argument that is a Text (or *Text) gives ja its Japanese
// and en its English, so that an English message never prints a Japanese name (a state, a
// section). Other arguments — ids, numbers, causes — are the same in both.
func Errorf(code, ja, en string, args ...any) *Error {
	return &Error{Code: code, Message: Text{JA: fmt.Sprintf(ja, argsIn(args, "ja")...), EN: fmt.Sprintf(en, argsIn(args, "en")...)}}
}

// argsIn returns args with every Text in lang.
func argsIn(args []any, lang string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch t := a.(type) {
		case Text:
			out[i] = t.In(lang)
		case *Text:
			if t == nil {
				out[i] = ""
			} else {
				out[i] = t.In(lang)
			}
		default:
			out[i] = a
		}
	}
	return out
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic one for internal errors,
// so that no internal detail ever reaches a page.
func ErrorMessage(err error) Text {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return Text{JA: "内部エラーが発生しました。時間をおいて再度お試しください。", EN: "An internal error occurred. Please try again later."}
}
