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
	who := "cli"
	if u := os.Getenv("USER"); u != "" {
		who += ":" + u
	}
	if err := st.Audit(storage.AuditEvent{User: who, Action: action, Target: target, Detail: detail}); err != nil {
		fmt.Fprintf(stderr, "staffsurvey: audit log: %v\n", err)
	}
}
