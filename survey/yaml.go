package survey

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// YAML writes q as a questionnaire file (docs/formats.md) that Parse reads back to the same
// questionnaire: the browser's editor stores what it makes through this form, so that the
// file a survey office downloads, the one it uploads and the one the editor makes are read by
// one parser and checked by one validator, with the same "file:line: what is wrong" messages.
//
// Texts, the scale's labels, the period, the small settings and each question are written in
// flow style ({ja: …, en: …}) as in the shipped questionnaire; an English text left empty is
// left out.
// Comments in a file that was uploaded are not kept (the stored questionnaire has none).
func (q *Questionnaire) YAML() ([]byte, error) {
	var n yaml.Node
	if err := n.Encode(q); err != nil {
		return nil, fmt.Errorf("questionnaire yaml: %w", err)
	}
	flowSmall(&n)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, fmt.Errorf("questionnaire yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("questionnaire yaml: %w", err)
	}
	return b.Bytes(), nil
}

// flowSmall sets flow style on small mappings — a text, the period, anonymity, activity, and
// a mapping of scalars and such texts (an item, a comment, a section without children) — and
// on lists of strings (the scale's labels, places), so that a text stays on the line of its
// field and every question on a line of its own. It returns the depth of a flow mapping (0 for a
// scalar), or −1 for a node written in block style.
func flowSmall(n *yaml.Node) int {
	depth := 0
	for _, c := range n.Content {
		if d := flowSmall(c); d < 0 || depth < 0 {
			depth = -1
		} else if d > depth {
			depth = d
		}
	}
	switch n.Kind {
	case yaml.MappingNode:
		if depth < 0 || depth >= 2 || len(n.Content) == 0 {
			return -1
		}
		n.Style = yaml.FlowStyle
		return depth + 1
	case yaml.SequenceNode:
		if depth == 0 {
			n.Style = yaml.FlowStyle // a list of strings
		}
		return -1 // never inside a flow mapping: the scale's labels stay one list a line
	case yaml.ScalarNode:
		return 0
	}
	return -1
}

// MarshalYAML writes a place as its name, as a file gives it.
func (p Place) MarshalYAML() (any, error) { return p.Name, nil }
