package main

import (
	"fmt"
	"io"
	"os"

	"staffsurvey/survey/storage"
)

// auditCLI records an action of the command line in the audit log, as user "cli:$USER". A
// failure to record it is reported but does not fail the command, whose work is done.
func auditCLI(st *storage.Store, stderr io.Writer, action, target, detail string) {
	if err := st.Audit(storage.AuditEvent{User: cliUser(), Action: action, Target: target, Detail: detail}); err != nil {
		fmt.Fprintf(stderr, "staffsurvey: audit log: %v\n", err)
	}
}

// cliUser names the command line's user in the audit log and on decisions: "cli:$USER".
func cliUser() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
