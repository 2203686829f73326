package admin

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/web/page"
)

// Exports of closed surveys for analysts: the responses as the docs/formats.md CSV, and the
// report table (groups × metrics) for Excel. The responses are spooled to a temporary file
// (page.Spool) and then sent, so that no read transaction waits on the client and a large survey
// never sits in memory.

// boolParam reads a 0/1 query parameter.
func boolParam(c echo.Context, name string, def bool) (bool, error) {
	switch c.QueryParam(name) {
	case "":
		return def, nil
	case "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, survey.Errorf(survey.EINVALID, "%s は 0 か 1 で指定してください", "%s must be 0 or 1", name)
}

// handleExport serves GET /admin/surveys/{id}/export.csv?format=wide|long&bom=0|1: the
// responses of a closed survey as docs/formats.md CSV, in random order, with each section below
// the minimum group size replaced by its nearest shown ancestor, and comments only where the
// comments page would show them (analysis.SurveyResult.ExportComments). bom=1 adds a UTF-8 BOM and
// CRLF for Excel; formula-like cells are neutralised either way. An open survey gets 409.
func (s *Server) handleExport(c echo.Context) error {
	bom, err := boolParam(c, "bom", false)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = survey.FormatWide
	}
	u, _ := c.Get("user").(adminUser)
	if format == survey.FormatCodebook {
		// The codebook describes the questionnaire, not its answers: any survey has one.
		sv, err := s.store.Survey(c.Param("id"))
		if err != nil {
			return err
		}
		startCSV(c, sv.ID()+"-codebook.csv")
		return survey.WriteCodebook(c.Response(), sv.Questionnaire, bom)
	}
	var sv *survey.Survey
	f, n, err := page.Spool(func(w io.Writer) error {
		return s.res.Export(c.Request().Context(), w, c.Param("id"), survey.ExportOptions{Format: format, BOM: bom},
			func(got *survey.Survey) { sv = got })
	})
	if err != nil {
		return err
	}
	s.log.Info("export", "survey", sv.ID(), "format", format, "user", u.Name)
	s.audit(c, "export", sv.ID(), "format="+format)
	return page.SendSpooled(c, f, n, "text/csv; charset=utf-8", fmt.Sprintf("%s-%s.csv", sv.ID(), format))
}

// startCSV sends the headers of a CSV download named name.
func startCSV(c echo.Context, name string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, page.Attachment(name))
	h.Set(echo.HeaderCacheControl, "no-store")
	c.Response().WriteHeader(http.StatusOK)
}

// handleReportCSV serves GET /admin/surveys/{id}/report.csv?bom=0|1 (bom defaults to 1, for
// Excel): the report table of a closed survey, one row per group in pre-order, one column per
// metric of docs/analysis.md. A suppressed group has only its n; a metric below the minimum only
// its n. Names are in the page language.
func (s *Server) handleReportCSV(c echo.Context) error {
	sv, res, err := s.res.Exportable(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	bom, err := boolParam(c, "bom", true)
	if err != nil {
		return err
	}
	head, rows := results.Table(sv.Questionnaire, res, string(page.LangOf(c)))
	startCSV(c, sv.ID()+"-report.csv")
	w, err := survey.NewExcelCSV(c.Response(), bom)
	if err != nil {
		return err
	}
	if err := w.Write(head); err != nil {
		return err
	}
	for _, row := range rows {
		row[1] = survey.SafeCell(row[1]) // the name, the only free text
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// handleExportXLSX serves GET /admin/surveys/{id}/export.xlsx: the Excel workbook of a closed
// survey (results.Service.WriteXLSX: the wide data with section names, the codebook, the
// report table and the per-question results), generalised exactly as the CSV export, and
// spooled like it.
func (s *Server) handleExportXLSX(c echo.Context) error {
	u, _ := c.Get("user").(adminUser)
	var sv *survey.Survey
	f, n, err := page.Spool(func(w io.Writer) error {
		return s.res.WriteXLSX(c.Request().Context(), w, c.Param("id"), string(page.LangOf(c)), func(got *survey.Survey) { sv = got })
	})
	if err != nil {
		return err
	}
	s.log.Info("export", "survey", sv.ID(), "format", survey.FormatXLSX, "user", u.Name)
	s.audit(c, "export", sv.ID(), "format="+survey.FormatXLSX)
	return page.SendSpooled(c, f, n, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sv.ID()+".xlsx")
}
