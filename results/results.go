// Package results serves the results of closed surveys to both adapters, the web and the
// command line, so that each rule about them has one home:
//
//   - results exist only after a survey is closed (docs/anonymity.md, rule 6): Closed is the one
//     guard, and every method that reads answers goes through it;
//   - a closed survey's analysis and comments change only with its revision, so they are
//     cached here, once per process, by survey id and revision;
//   - the report document of `analyze --json` and /admin/api/report, and the response
//     exports, are built here, with the generalisation and comment rules of the analysis.
//
// The package reads the store through the small Store interface, so it links neither bbolt
// nor Echo.
package results

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"

	"staffsurvey/analysis"
	"staffsurvey/jatext"
	"staffsurvey/survey"
)

// Store is what the service reads: storage.Store implements it.
type Store interface {
	Survey(id string) (*survey.Survey, error)
	Surveys() ([]*survey.Survey, error)
	EachResponse(id string, fn func(*survey.Response) error) error
	// SectionCounts returns the respondents per section code recorded when the survey closed
	// (nil when none were): the stored sections are generalised (docs/anonymity.md, rule 4).
	SectionCounts(id string) (map[string]int, error)
	// EachComment streams the comments stored apart from their answers at close.
	EachComment(id string, fn func(section string, question int, text string) error) error
	// Decisions returns the decision (survey.DecidePublish, DecideWithhold, DecideRedacted)
	// on every decided comment of survey id, by survey.CommentID.
	Decisions(id string) (map[string]string, error)
}

// Service answers for the results of closed surveys. It is safe for concurrent use.
type Service struct {
	store    Store
	analyses revisionCache[*analysis.SurveyResult]
	comments revisionCache[commentEntry]
	themes   revisionCache[[][]jatext.Theme]
	compared revisionCache[[]ThemeComparison]
	screens  revisionCache[*screen]
	named    nameMemo
}

// New returns a service over st.
func New(st Store) *Service { return &Service{store: st} }

// Closed returns survey id when it is closed, and an ESTATE error saying why not otherwise.
func (s *Service) Closed(id string) (*survey.Survey, error) {
	sv, err := s.store.Survey(id)
	if err != nil {
		return nil, err
	}
	if sv.State != survey.StateClosed {
		return nil, NotClosed(sv)
	}
	return sv, nil
}

// NotClosed is the error for asking results of a survey that is not closed.
func NotClosed(sv *survey.Survey) error {
	if sv.State == survey.StateOpen {
		return survey.Errorf(survey.ESTATE,
			"調査 %q は回答受付中です。結果は調査を終了してから表示・出力されます（受付中は回収状況のみ見られます）。",
			"Survey %q is open. Results appear once it is closed (while it is open, only response rates are shown).", sv.ID())
	}
	state := survey.StateTitle(sv.State)
	return &survey.Error{Code: survey.ESTATE, Message: survey.Text{
		JA: fmt.Sprintf("調査 %q はまだ実施されていません（%s）。結果は調査を終了してから表示・出力されます。", sv.ID(), state.JA),
		EN: fmt.Sprintf("Survey %q is %s. Results appear once it has been run and closed.", sv.ID(), state.EN)}}
}

// Result returns the analysis of closed survey id, from the cache when its revision is known.
func (s *Service) Result(ctx context.Context, id string) (*survey.Survey, *analysis.SurveyResult, error) {
	sv, err := s.Closed(id)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.result(ctx, sv)
	return sv, res, err
}

// result is Result for a survey already known to be closed.
func (s *Service) result(ctx context.Context, sv *survey.Survey) (*analysis.SurveyResult, error) {
	return s.analyses.get(sv.ID(), sv.Revision, func() (*analysis.SurveyResult, error) {
		src, err := s.source(ctx, sv)
		if err != nil {
			return nil, err
		}
		return src.Scan()
	})
}

// source is sv for the analysis: its stored responses and, as their sections are
// generalised (docs/anonymity.md, rule 4), the respondent counts recorded at close, which give
// every group its true n and the suppression the ungeneralised responses would give.
func (s *Service) source(ctx context.Context, sv *survey.Survey) (analysis.Source, error) {
	if ss, ok := s.store.(sumsStore); ok && sv.Questionnaire.HasAttributes() {
		state, err := ss.Sums(sv.ID())
		if err != nil || state != nil {
			return analysis.Source{Questionnaire: sv.Questionnaire, State: state}, err
		}
	}
	own, err := s.store.SectionCounts(sv.ID())
	return analysis.Source{Questionnaire: sv.Questionnaire, Each: s.each(ctx, sv.ID()), Counts: own}, err
}

// sumsStore is a store that keeps a survey with attributes as sums (storage.Store.Sums).
type sumsStore interface {
	Sums(id string) ([]byte, error)
}

// each streams survey id's responses, stopping when ctx is done.
func (s *Service) each(ctx context.Context, id string) func(fn func(*survey.Response) error) error {
	return func(fn func(*survey.Response) error) error {
		n := 0
		return s.store.EachResponse(id, func(r *survey.Response) error {
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			return fn(r)
		})
	}
}

// ClosedResults returns every closed survey and its analysis, in year order (then id).
func (s *Service) ClosedResults(ctx context.Context) ([]*survey.Survey, []*analysis.SurveyResult, error) {
	all, err := s.store.Surveys()
	if err != nil {
		return nil, nil, err
	}
	all = slices.DeleteFunc(slices.Clone(all), func(sv *survey.Survey) bool { return sv.State != survey.StateClosed })
	slices.SortStableFunc(all, func(a, b *survey.Survey) int {
		if a.Questionnaire.Year != b.Questionnaire.Year {
			return a.Questionnaire.Year - b.Questionnaire.Year
		}
		return cmp.Compare(a.ID(), b.ID())
	})
	rs, err := s.results(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	return all, rs, nil
}

// results analyses svs: cached results as they are, the others scanned in parallel by
// analysis.ScanAll (one survey per core) and kept.
func (s *Service) results(ctx context.Context, svs []*survey.Survey) ([]*analysis.SurveyResult, error) {
	out := make([]*analysis.SurveyResult, len(svs))
	var misses []int
	var sources []analysis.Source
	for i, sv := range svs {
		if r, ok := s.analyses.lookup(sv.ID(), sv.Revision); ok {
			out[i] = r
			continue
		}
		src, err := s.source(ctx, sv)
		if err != nil {
			return nil, err
		}
		misses, sources = append(misses, i), append(sources, src)
	}
	scanned, err := analysis.ScanAll(sources, 0)
	if err != nil {
		return nil, err
	}
	for j, i := range misses {
		out[i] = scanned[j]
		s.analyses.put(svs[i].ID(), svs[i].Revision, scanned[j])
	}
	return out, nil
}

// Previous returns the closed survey before sv by year, and its analysis, or nils.
func (s *Service) Previous(ctx context.Context, sv *survey.Survey) (*survey.Survey, *analysis.SurveyResult, error) {
	svs, rs, err := s.ClosedResults(ctx)
	if err != nil {
		return nil, nil, err
	}
	for i := len(svs) - 1; i >= 0; i-- {
		if svs[i].Questionnaire.Year < sv.Questionnaire.Year {
			return svs[i], rs[i], nil
		}
	}
	return nil, nil, nil
}

// Report returns the report document of docs/analysis.md (`analyze --json`) for the closed
// surveys ids, or for every closed survey when ids is empty. Naming a survey that is not
// closed is an error, not a silent skip.
func (s *Service) Report(ctx context.Context, ids ...string) (*analysis.Report, error) {
	if len(ids) == 0 {
		_, rs, err := s.ClosedResults(ctx)
		if err != nil {
			return nil, err
		}
		return analysis.Build(rs...), nil
	}
	var svs []*survey.Survey
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		sv, err := s.Closed(id)
		if err != nil {
			return nil, err
		}
		svs = append(svs, sv)
	}
	rs, err := s.results(ctx, svs)
	if err != nil {
		return nil, err
	}
	return analysis.Build(rs...), nil
}

// Exportable returns closed survey id and its analysis, refusing a survey whose whole
// organisation is below the minimum group size: no row could be written without risking
// anonymity.
func (s *Service) Exportable(ctx context.Context, id string) (*survey.Survey, *analysis.SurveyResult, error) {
	sv, res, err := s.Result(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := res.ExportSection(); !ok {
		return nil, nil, survey.Errorf(survey.ESTATE,
			"調査 %q の回答者は %d 人未満のため、匿名性を守るために出力できません。",
			"Survey %q has fewer than %d respondents: it cannot be exported without risking anonymity.", id, res.MinGroupSize)
	}
	return sv, res, nil
}

// Export writes closed survey id's responses to w as docs/formats.md CSV in opts.Format, in
// the store's random order, each section below the minimum replaced by its nearest shown
// ancestor and comments only where the comments page could show them
// (analysis.SurveyResult.ExportSection and ExportComments); opts.Section and opts.Comments are
// set here. start, when not nil, is called once the export is known to be allowed, before
// the first byte: the web sends its headers there.
func (s *Service) Export(ctx context.Context, w io.Writer, id string, opts survey.ExportOptions, start func(sv *survey.Survey)) error {
	sv, res, err := s.Exportable(ctx, id)
	if err != nil {
		return err
	}
	if err := opts.Validate(); err != nil {
		return err
	}
	opts.Section, _ = res.ExportSection()
	opts.Comments = res.ExportComments()
	sc, err := s.screen(sv)
	if err != nil {
		return err
	}
	opts.Comment = sc.shown
	if start != nil {
		start(sv)
	}
	if sv.Questionnaire.HasAttributes() {
		// Kept as sums, not responses: the export is the table of groups and metrics.
		return writeGroupTable(w, sv.Questionnaire, res, opts.BOM)
	}
	cw, err := survey.NewCSVWriter(w, sv.Questionnaire, opts)
	if err != nil {
		return err
	}
	if err := s.each(ctx, id)(cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}
