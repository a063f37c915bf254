package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
)

// decodeErrors turns what the decoder could not read into one problem per
// key, each with its line (or variable) and what the key wants. The decoder
// goes on past a bad value, so one run reports every one of them.
func (c *Config) decodeErrors(err error) Errors {
	if err == nil {
		return nil
	}
	var out Errors
	var walk func(error)
	walk = func(e error) {
		if de, ok := e.(*mapstructure.DecodeError); ok {
			if inner := de.Unwrap(); isLeaf(inner) {
				out = append(out, c.problem(de.Name(), c.wrongType(de.Name(), inner)))
				return
			}
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if x := errors.Unwrap(e); x != nil {
			walk(x)
			return
		}
		out = append(out, &Error{File: c.File, Msg: e.Error()})
	}
	walk(err)
	return out
}

// isLeaf reports whether err is the reason itself rather than a wrapper of
// further decode errors.
func isLeaf(err error) bool {
	var de *mapstructure.DecodeError
	if errors.As(err, &de) {
		return false
	}
	_, joined := err.(interface{ Unwrap() []error })
	return !joined
}

var durationType = reflect.TypeOf(time.Duration(0))

// wrongType says what key wants and what it got.
func (c *Config) wrongType(key string, err error) string {
	t := typeAt(reflect.TypeOf(Config{}), key)
	if t == nil {
		return err.Error()
	}
	return fmt.Sprintf("want %s, got %s", describeType(t), c.describeValue(key, err))
}

func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return "a duration such as 90s, 10m or 1h30m"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.String:
		return "a single value"
	case t.Kind() == reflect.Slice:
		return "a list, e.g. [a, b]"
	default:
		return "a mapping of keys"
	}
}

// describeValue quotes the value in effect (the variable's, else the file's),
// or names its shape when it is a list or a mapping.
func (c *Config) describeValue(key string, err error) string {
	var pe *mapstructure.ParseError
	if errors.As(err, &pe) {
		return valueText(pe.Value)
	}
	var ue *mapstructure.UnconvertibleTypeError
	if errors.As(err, &ue) {
		return valueText(ue.Value)
	}
	if v, ok := c.values[key]; ok {
		return strconv.Quote(v)
	}
	return "something else"
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case []any:
		return "a list"
	case map[string]any, map[any]any:
		return "a mapping"
	case nil:
		return "nothing"
	default:
		return fmt.Sprint(x)
	}
}

// typeAt is the Go type of the key path (teams[1].tech_debt_target.min) in
// t, nil when the path leads nowhere.
func typeAt(t reflect.Type, path string) reflect.Type {
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			ft, ok := keysOf(t)[name]
			if !ok {
				return nil
			}
			t = ft
		case reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
		for ; rest != ""; _, rest, _ = strings.Cut(rest, "[") {
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() != reflect.Slice {
				return nil
			}
			t = t.Elem()
		}
	}
	return t
}
