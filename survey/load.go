package survey

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxQuestionnaireSize bounds a questionnaire file, so that a stray upload cannot exhaust memory.
const MaxQuestionnaireSize = 1 << 20

// LoadFile reads and validates a questionnaire file.
func LoadFile(path string) (*Questionnaire, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errorf(EINVALID, "%s: ファイルを読めません: %v", "%s: cannot read the file: %v", path, err)
	}
	return Parse(path, data)
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// Parse decodes and validates a questionnaire. name is used in messages, which read
// "name:line: what is wrong" (Japanese, with English in the English message).
// Unknown fields are errors, so that a misspelt "reverse" is not silently ignored.
func Parse(name string, data []byte) (*Questionnaire, error) {
	if len(data) > MaxQuestionnaireSize {
		return nil, Errorf(EINVALID, "%s: ファイルが大きすぎます（上限 1 MiB）", "%s: file too large (limit 1 MiB)", name)
	}
	var q Questionnaire
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&q); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		if i := strings.Index(msg, "\n"); i >= 0 {
			msg = msg[:i]
		}
		line := ""
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line = m[1] + ": "
			msg = strings.Replace(msg, m[0], "", 1)
		}
		if errors.Is(err, io.EOF) {
			return nil, Errorf(EINVALID, "%s: ファイルが空です", "%s: the file is empty", name)
		}
		return nil, Errorf(EINVALID, "%s:%sYAML として読めません: %s", "%s:%scannot read as YAML: %s", name, line, msg)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil {
		setLines(&q, &root)
	}
	q.SetDefaults()
	if err := q.Validate(); err != nil {
		e := err.(*Error)
		sep := ": " // Validate's message starts with "line: " when it knows the line
		if yamlLineStart.MatchString(e.Message.JA) {
			sep = ":"
		}
		e.Message.JA = name + sep + e.Message.JA
		e.Message.EN = name + sep + e.Message.EN
		return nil, e
	}
	return &q, nil
}

var yamlLineStart = regexp.MustCompile(`^\d+: `)

// setLines records the line of the period, contact, results and every category, item, outcome, comment and section so that
// Validate can name it.
func setLines(q *Questionnaire, doc *yaml.Node) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return
	}
	top := doc.Content[0]
	if n := mapValue(top, "period"); n != nil && q.Period != nil {
		q.Period.Line = n.Line
	}
	if n := mapValue(top, "contact"); n != nil {
		q.contactLine = n.Line
	}
	if n := mapValue(top, "results"); n != nil {
		q.resultsLine = n.Line
	}
	if cats := mapValue(top, "categories"); cats != nil && cats.Kind == yaml.SequenceNode {
		for i, cn := range cats.Content {
			if i >= len(q.Categories) {
				break
			}
			c := &q.Categories[i]
			c.Line = cn.Line
			if items := mapValue(cn, "items"); items != nil && items.Kind == yaml.SequenceNode {
				for j, in := range items.Content {
					if j < len(c.Items) {
						c.Items[j].Line = in.Line
					}
				}
			}
		}
	}
	if outs := mapValue(top, "outcomes"); outs != nil {
		if n := mapValue(outs, "satisfaction"); n != nil && q.Outcomes.Satisfaction != nil {
			q.Outcomes.Satisfaction.Line = n.Line
		}
		if n := mapValue(outs, "enps"); n != nil && q.Outcomes.ENPS != nil {
			q.Outcomes.ENPS.Line = n.Line
		}
	}
	if cs := mapValue(top, "comments"); cs != nil && cs.Kind == yaml.SequenceNode {
		for i, cn := range cs.Content {
			if i < len(q.Comments) {
				q.Comments[i].Line = cn.Line
			}
		}
	}
	if as := mapValue(top, "attributes"); as != nil && as.Kind == yaml.SequenceNode {
		for i, an := range as.Content {
			if i >= len(q.Attributes) {
				break
			}
			a := &q.Attributes[i]
			a.Line = an.Line
			if os := mapValue(an, "options"); os != nil && os.Kind == yaml.SequenceNode {
				for j, on := range os.Content {
					if j < len(a.Options) {
						a.Options[j].Line = on.Line
					}
				}
			}
		}
	}
	var walk func(n *yaml.Node, ss []Section)
	walk = func(n *yaml.Node, ss []Section) {
		if n == nil || n.Kind != yaml.SequenceNode {
			return
		}
		for i, sn := range n.Content {
			if i >= len(ss) {
				return
			}
			ss[i].Line = sn.Line
			walk(mapValue(sn, "children"), ss[i].Children)
		}
	}
	walk(mapValue(top, "sections"), q.Sections)
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
