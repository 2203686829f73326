package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"staffsurvey/survey"
	"staffsurvey/survey/storage"
	"staffsurvey/web/page"
)

// The audit log (storage.AuditEvent): what signed-in users did, for the survey office and the
// ward's IT. It never holds a token or anything about a respondent (docs/anonymity.md).

// audit records an action of the signed-in user. A failure to write it is logged, not shown:
// the action itself has happened.
func (s *Server) audit(c echo.Context, action, target, detail string) {
	u, _ := c.Get("user").(adminUser)
	s.auditAs(c, u.Name, action, target, detail)
}

// auditAs records an action of user (a name tried at a failed sign-in, for instance).
func (s *Server) auditAs(c echo.Context, user, action, target, detail string) {
	err := s.store.Audit(storage.AuditEvent{User: user, Client: s.clientIP(c), Action: action, Target: target, Detail: detail})
	if err != nil {
		s.log.Error("audit log", "action", action, "err", err)
	}
}

// auditView returns middleware that records a successful view of results (a report, comments,
// trends, a report export) as action, with the survey and the section asked for. Views that
// fail (an open survey, a forbidden section) are not results seen, and are not recorded.
func (s *Server) auditView(action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			if err == nil && c.Response().Status < 400 {
				target := c.Param("id")
				if target == "" {
					target = c.QueryParam("survey")
				}
				detail := ""
				if sec := c.QueryParam("section"); sec != "" {
					detail = "section=" + truncate(sec, 64)
				}
				s.audit(c, action, truncate(target, 128), detail)
			}
			return err
		}
	}
}

// auditPageSize is how many events one page of the audit log shows.
const auditPageSize = 100

// auditPage is the data of admin_audit.html.
type auditPage struct {
	Events []storage.AuditEvent
	Total  int
	Next   uint64 // the before= of the next (older) page, 0 when this is the last
}

// handleAudit serves GET /admin/audit?before=SEQ: the audit log, newest first, a page of
// auditPageSize events at a time.
func (s *Server) handleAudit(c echo.Context) error {
	var before uint64
	if b := c.QueryParam("before"); b != "" {
		var err error
		if before, err = strconv.ParseUint(b, 10, 64); err != nil {
			return survey.Errorf(survey.EINVALID, "before は番号で指定してください", "before must be a number")
		}
	}
	events, total, err := s.store.AuditLog(before, auditPageSize)
	if err != nil {
		return err
	}
	p := auditPage{Events: events, Total: total}
	if len(events) == auditPageSize && events[len(events)-1].Seq > 1 {
		p.Next = events[len(events)-1].Seq
	}
	return s.render(c, http.StatusOK, "admin_audit.html", p)
}

// handleAuditCSV serves GET /admin/audit.csv?bom=0|1 (bom defaults to 1, for Excel): the whole
// audit log, newest first, columns seq,time,user,client,action,target,detail. The log is read
// in chunks (storage.Store.EachAudit), so no read transaction waits for the client.
func (s *Server) handleAuditCSV(c echo.Context) error {
	bom, err := boolParam(c, "bom", true)
	if err != nil {
		return err
	}
	s.audit(c, "audit.export", "", "")
	page.AllowDownload(c)
	startCSV(c, "staffsurvey-audit-"+time.Now().Format("20060102")+".csv")
	w, err := survey.NewExcelCSV(c.Response(), bom)
	if err != nil {
		return err
	}
	if err := w.Write([]string{"seq", "time", "user", "client", "action", "target", "detail"}); err != nil {
		return err
	}
	text := survey.SafeCell
	err = s.store.EachAudit(func(e storage.AuditEvent) error {
		return w.Write([]string{fmt.Sprint(e.Seq), e.Time.Format(time.RFC3339), text(e.User), e.Client, e.Action, text(e.Target), text(e.Detail)})
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}
