package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// pageText is the visible text of an HTML page: scripts, styles and data blocks dropped, tags
// replaced by spaces, entities decoded.
func pageText(body string) string {
	body = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`).ReplaceAllString(body, " ")
	body = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
	return html.UnescapeString(body)
}

// japanesePunct finds Japanese punctuation in text with a little context around each.
func japanesePunct(text string) []string {
	var out []string
	rs := []rune(text)
	for i, r := range rs {
		if !strings.ContainsRune("、。（）「」", r) {
			continue
		}
		out = append(out, strings.Join(strings.Fields(string(rs[max(0, i-30):min(len(rs), i+30)])), " "))
	}
	return out
}

// TestEnglishPunctuation: the English pages a chief and the survey office read — the report
// with its summary, the team view, plans, trends, comments and the staff edition — put their
// English words together with English punctuation, never 、。（）「」 (the demo questionnaire
// has English texts; staff's comments, in Japanese, are left out).
func TestEnglishPunctuation(t *testing.T) {
	_, st, ts := newAdminTestServer(t, Config{})
	id := seedDemoSurveys(t, st)
	ed, err := st.PublishEdition(id, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustAddManager(t, st, "chief", "hokennenkin")
	admin, chief := adminLogin(t, ts, "admin"), adminLogin(t, ts, "chief")
	pages := []struct {
		ac   *adminClient
		path string
	}{
		{admin, "/admin/surveys/" + id + "/report?lang=en"},
		{admin, "/admin/surveys/" + id + "/report?section=hokennenkin&lang=en"},
		{admin, "/admin/surveys/" + id + "/plans?section=hokennenkin&lang=en"},
		{admin, "/admin/trends?lang=en"},
		{chief, "/admin/surveys/" + id + "/team?lang=en"},
		{chief, "/admin/surveys/" + id + "/report?lang=en"},
		{chief, "/admin/trends?lang=en"},
		{chief, "/admin/surveys/" + id + "/comments?lang=en"},
		{admin, "/s/" + ed.Token + "?lang=en"},
	}
	for _, p := range pages {
		r := p.ac.get(p.path)
		if r.Status != 200 {
			t.Errorf("GET %s: %d", p.path, r.Status)
			continue
		}
		// Staff's comments and the themes found in them are what staff wrote, in Japanese.
		body := regexp.MustCompile(`(?s)<ul class="(comments|themes)">.*?</ul>`).ReplaceAllString(r.Body, " ")
		text := pageText(body)
		// The language switch names Japanese in Japanese: that is the one place it belongs.
		text = strings.ReplaceAll(text, "日本語", "")
		hits := japanesePunct(text)
		for i, hit := range hits {
			if i == 5 {
				t.Errorf("%s: and %d more", p.path, len(hits)-i)
				break
			}
			t.Errorf("%s: Japanese punctuation in English text: %q", p.path, hit)
		}
	}
}
