package github

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// decodeLenient decodes one JSON object, field by field when it must: a
// field whose value does not fit its Go type (a string where a number
// belongs, a date that is not one) is left at its zero value and named in
// bad, so that one odd field costs only itself and not the item or its
// page. err is set only when raw is not a JSON object at all.
//
// The whole object is tried first; only an item that fails pays for the
// field-by-field pass.
func decodeLenient[T any](raw json.RawMessage) (v T, bad []string, err error) {
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		var zero T
		return zero, nil, fmt.Errorf("not a JSON object: %w", err)
	}
	good := make(map[string]json.RawMessage, len(fields))
	for name, value := range fields {
		one, err := json.Marshal(map[string]json.RawMessage{name: value})
		var probe T
		if err != nil || json.Unmarshal(one, &probe) != nil {
			bad = append(bad, name)
			continue
		}
		good[name] = value
	}
	slices.Sort(bad)
	var out T
	rest, err := json.Marshal(good)
	if err == nil {
		err = json.Unmarshal(rest, &out)
	}
	if err != nil { // each field decoded on its own, so this is not expected
		var zero T
		return zero, bad, fmt.Errorf("decode the readable fields: %w", err)
	}
	return out, bad, nil
}

// wireLabels is an issue's labels by name. GitHub's schema allows each
// label as a label object or as a plain string; both are read.
type wireLabels []string

func (l *wireLabels) UnmarshalJSON(data []byte) error {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	out := make(wireLabels, 0, len(items))
	for _, item := range items {
		var name string
		switch item = bytes.TrimSpace(item); {
		case len(item) > 0 && item[0] == '"':
			if err := json.Unmarshal(item, &name); err != nil {
				return err
			}
		case len(item) > 0 && item[0] == '{':
			var obj struct {
				Name *string `json:"name"`
			}
			if err := json.Unmarshal(item, &obj); err != nil || obj.Name == nil {
				return fmt.Errorf("label %.40s: want a name or a label object", item)
			}
			name = *obj.Name
		case string(item) == "null":
		default:
			return fmt.Errorf("label %.40s: want a name or a label object", item)
		}
		if name != "" {
			out = append(out, name)
		}
	}
	*l = out
	return nil
}
