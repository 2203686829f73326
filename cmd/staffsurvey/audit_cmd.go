package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// runAudit: audit — the audit log as CSV on stdout, newest first, the columns of the admin
// page's download (seq,time,user,client,action,target,detail), for operators who run the
// server headless. A running server holds the database: it then answers through the control
// socket.
func runAudit(ctx context.Context, e *env, args []string) error {
	if _, err := parse(flags("audit"), args, 0); err != nil {
		return err
	}
	st, err := e.openStore()
	if survey.ErrorCode(err) == survey.EBUSY {
		return fromServer(ctx, e.DB, "/audit", e.Stdout)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return writeAuditCSV(e.Stdout, st)
}

// writeAuditCSV writes the audit log of st as CSV (RFC 4180, UTF-8, no BOM).
func writeAuditCSV(w io.Writer, st *storage.Store) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"seq", "time", "user", "client", "action", "target", "detail"}); err != nil {
		return err
	}
	err := st.EachAudit(func(ev storage.AuditEvent) error {
		return cw.Write([]string{fmt.Sprint(ev.Seq), ev.Time.Format(time.RFC3339), ev.User, ev.Client, ev.Action, ev.Target, ev.Detail})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
