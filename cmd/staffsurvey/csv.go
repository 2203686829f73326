package main

import (
	"context"
	"fmt"
	"os"

	"staffsurvey/survey"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := flags("import")
	id := fs.String("survey", "", "survey id")
	file := fs.String("csv", "", "wide CSV file")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey", "csv"); err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return survey.Errorf(survey.EINVALID, "%s を開けません: %v", "cannot open %s: %v", *file, err)
	}
	defer f.Close()
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	sv, err := st.Survey(*id)
	if err != nil {
		return err
	}
	rs, err := survey.ReadCSV(sv.Questionnaire, f)
	if err != nil {
		return prefixError(*file, err)
	}
	if err := st.Import(*id, rs); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%d responses imported into %s\n", len(rs), *id)
	return nil
}

// prefixError puts a file name before the message of a domain error.
func prefixError(file string, err error) error {
	if e, ok := err.(*survey.Error); ok {
		return &survey.Error{Code: e.Code, Err: e.Err, Message: survey.Text{JA: file + ": " + e.Message.JA, EN: file + ": " + e.Message.EN}}
	}
	return err
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := flags("export")
	id := fs.String("survey", "", "survey id")
	format := fs.String("format", survey.FormatWide, "wide or long")
	bom := fs.Bool("bom", false, "Excel: UTF-8 BOM, CRLF, formula cells neutralised")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := required(fs, "survey"); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return exportCSV(ctx, st, *id, e.Stdout, survey.ExportOptions{Format: *format, BOM: *bom})
}
