package main

import (
	"context"
	"io"

	"staffsurvey/results"
	"staffsurvey/survey"
	"staffsurvey/survey/storage"
)

// exportCSV writes survey id's responses as CSV through the results service, which refuses
// surveys that are not closed and generalises sections and comments as every export does.
func exportCSV(ctx context.Context, st *storage.Store, id string, w io.Writer, opts survey.ExportOptions) error {
	return results.New(st).Export(ctx, w, id, opts, nil)
}
