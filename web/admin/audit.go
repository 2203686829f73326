package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
	Events []auditRow
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
	p := auditPage{Events: foldViews(events), Total: total}
	if len(events) == auditPageSize && events[len(events)-1].Seq > 1 {
		p.Next = events[len(events)-1].Seq
	}
	return s.render(c, http.StatusOK, "admin_audit.html", p)
}

// auditRow is one line of the audit log page: an event, or a run of views folded into one.
type auditRow struct {
	storage.AuditEvent
	Title  survey.Text // the action in words
	Count  int         // events in the row: more than 1 when views are folded
	Folded bool
	First  time.Time // the time of the oldest folded event
}

// auditTitles names the actions of the audit log in words; the code stays in the CSV and
// in the row's tooltip.
var auditTitles = map[string]survey.Text{
	"login":            {JA: "ログイン", EN: "Signed in"},
	"login.fail":       {JA: "ログイン失敗", EN: "Failed sign-in"},
	"logout":           {JA: "ログアウト", EN: "Signed out"},
	"password.change":  {JA: "パスワード変更", EN: "Changed the password"},
	"password.fail":    {JA: "パスワード変更の失敗", EN: "Failed password change"},
	"user.add":         {JA: "ユーザーの追加", EN: "Added a user"},
	"user.update":      {JA: "ユーザーの変更", EN: "Changed a user"},
	"user.reset":       {JA: "パスワードの再発行", EN: "Reset a password"},
	"survey.create":    {JA: "調査の作成", EN: "Created a survey"},
	"survey.copy":      {JA: "調査のコピー作成", EN: "Copied a survey"},
	"survey.edit":      {JA: "調査票の編集", EN: "Edited a questionnaire"},
	"survey.open":      {JA: "回答受付の開始", EN: "Opened a survey"},
	"survey.close":     {JA: "回答受付の終了", EN: "Closed a survey"},
	"tokens.issue":     {JA: "回答用コードの発行", EN: "Issued answer codes"},
	"tokens.void":      {JA: "回答用コードの無効化", EN: "Voided answer codes"},
	"backup":           {JA: "バックアップのダウンロード", EN: "Downloaded a backup"},
	"export":           {JA: "回答データの書き出し", EN: "Exported responses"},
	"export.report":    {JA: "集計表の書き出し", EN: "Exported the report tables"},
	"audit.export":     {JA: "操作記録の書き出し", EN: "Exported the audit log"},
	"comment.redact":   {JA: "記述の伏せ字", EN: "Redacted a comment"},
	"comment.harmless": {JA: "記述を問題なしと判断", EN: "Marked a comment harmless"},
	"edition.publish":  {JA: "職員向け公開版の作成", EN: "Published a staff edition"},
	"edition.update":   {JA: "公開版の提案の変更", EN: "Changed an edition's suggestions"},
	"edition.groups":   {JA: "公開版の属性別の結果の選択", EN: "Chose an edition's results by attribute"},
	"edition.revoke":   {JA: "公開版の取り消し", EN: "Revoked a staff edition"},
	"plan.create":      {JA: "改善計画の作成", EN: "Created an action plan"},
	"plan.update":      {JA: "改善計画の更新", EN: "Updated an action plan"},
	"plan.delete":      {JA: "改善計画の削除", EN: "Deleted an action plan"},
	"report.view":      {JA: "レポートの閲覧", EN: "Viewed a report"},
	"team.view":        {JA: "所属の結果の閲覧", EN: "Viewed a team's results"},
	"report.api":       {JA: "レポートデータの取得", EN: "Fetched report data"},
	"comments.view":    {JA: "自由記述の閲覧", EN: "Viewed comments"},
	"trends.view":      {JA: "経年推移の閲覧", EN: "Viewed trends"},
	"plans.view":       {JA: "改善計画の閲覧", EN: "Viewed action plans"},
}

// auditTitle names action in words; an action without a name shows its code.
func auditTitle(action string) survey.Text {
	if t, ok := auditTitles[action]; ok {
		return t
	}
	return survey.Text{JA: action, EN: action}
}

// isView reports whether action records results seen rather than something changed.
func isView(action string) bool {
	return strings.HasSuffix(action, ".view") || action == "report.api"
}

// foldViews turns events (newest first) into rows, folding a run of views of the same thing
// (action and target) by the same user from the same client into one row: reading a report
// section by section is one visit to the person who checks the log, not forty lines.
// Everything else stays one row per event.
func foldViews(events []storage.AuditEvent) []auditRow {
	var rows []auditRow
	for _, e := range events {
		if n := len(rows); n > 0 && isView(e.Action) {
			last := &rows[n-1]
			if last.Action == e.Action && last.User == e.User && last.Client == e.Client && last.Target == e.Target {
				last.Count++
				last.Folded = true
				last.First = e.Time
				if last.Detail != e.Detail {
					last.Detail = ""
				}
				continue
			}
		}
		rows = append(rows, auditRow{AuditEvent: e, Title: auditTitle(e.Action), Count: 1, First: e.Time})
	}
	return rows
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
