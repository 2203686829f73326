package slips

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"staffsurvey/survey"
)

func TestWriteSlips(t *testing.T) {
	q := testQuestionnaire(t, "slips")
	sv := &survey.Survey{Questionnaire: q, State: survey.StateOpen}
	var tokens []string
	for range 20 {
		tokens = append(tokens, survey.NewToken())
	}
	var b bytes.Buffer
	if err := WriteSlips(&b, sv, "shimin-b", tokens, "https://survey.example/"); err != nil {
		t.Fatal(err)
	}
	page := b.String()

	// The style element is exactly what the page's CSP allows by hash.
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	if m == nil || "'sha256-"+sha256Base64(m[1])+"'" != regexp.MustCompile(`'sha256-[^']+'`).FindString(CSP) {
		t.Errorf("the style element does not match the hash in the CSP %q", CSP)
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "http://") || strings.Contains(page, "src=\"http") {
		t.Errorf("slips load something or run a script")
	}
	if n := strings.Count(page, `class="sheet"`); n != (20+slipsPerSheet-1)/slipsPerSheet {
		t.Errorf("%d sheets for 20 slips; want sheets of %d", n, slipsPerSheet)
	}
	for _, want := range []string{"市民協働課 地域担当", "テスト用 職員満足度調査 2025", "5人未満", "匿名"} {
		if !strings.Contains(page, want) {
			t.Errorf("slips lack %q", want)
		}
	}
	// Every token once, with its URL, in an order of their own.
	re := regexp.MustCompile(`<p class="token">([0-9A-Z-]{20})</p>`)
	var order []string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		order = append(order, m[1])
		if !strings.Contains(page, "https://survey.example/?t="+m[1]) {
			t.Errorf("no URL for token %s", m[1])
		}
	}
	if strings.Join(slices.Sorted(slices.Values(order)), ",") != strings.Join(slices.Sorted(slices.Values(tokens)), ",") {
		t.Fatalf("tokens on the slips differ from the tokens issued")
	}
	if strings.Join(order, ",") == strings.Join(tokens, ",") {
		t.Errorf("slips are in the order of issue; want shuffled")
	}
	if err := WriteSlips(&b, sv, "nowhere", tokens, ""); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown section: %v", err)
	}
}

// Slips carry the period, the contact and the results, and a privacy note of at least 9 pt.
func TestSlipsInfo(t *testing.T) {
	q := withInfo(t, "slips-info")
	var b bytes.Buffer
	if err := WriteSlips(&b, &survey.Survey{Questionnaire: q, State: survey.StateOpen}, "shimin-b", []string{survey.NewToken()}, "https://survey.example/"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2026年12月1日（火）〜12月14日（月）", "総務課 人事担当 内線1234", "結果は2月に公開します", ".anon{font-size:9pt"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("slips lack %q", want)
		}
	}
}
