package main

import (
	"context"

	"staffsurvey/survey"
)

// runAnalyze is a placeholder until the analysis package lands.
func runAnalyze(ctx context.Context, e *env, args []string) error {
	return survey.Errorf(survey.EINTERNAL, "未実装", "not implemented yet")
}
