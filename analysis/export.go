package analysis

// ExportSection returns the section an export writes for a response of leaf section code
// (DESIGN.md §5): the section itself when its group is shown, else its nearest ancestor that
// is not suppressed. Because the suppression already obeys the remainder rule, the rows under
// any section name of an export are either none or at least the minimum group size.
// ok is false when even the whole organisation is suppressed: then nothing may be exported.
func (s *SurveyResult) ExportSection() (section func(code string) string, ok bool) {
	byCode := make(map[string]*Group, len(s.Groups))
	for _, g := range s.Groups {
		byCode[g.Section] = g
	}
	if root := s.Groups[0]; root.Suppressed {
		return nil, false
	}
	return func(code string) string {
		for g := byCode[code]; g != nil; g = byCode[g.Parent] {
			if !g.Suppressed {
				return g.Section
			}
		}
		return s.Groups[0].Section
	}, true
}
