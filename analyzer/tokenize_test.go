package analyzer

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", []string{}},
		{"stems and stop-words", "The connections are being refactored slowly", []string{"connect", "refactor", "slowli"}},
		{"plural and tense share a stem", "remove removed removing removal", []string{"remov", "remov", "remov", "remov"}},
		{"contractions are stop-words", "We don't need it; it's what we've got", []string{"need", "got"}},
		{"curly apostrophe", "It’s the user’s cache", []string{"user", "cach"}},
		{"numbers, single letters and hashes dropped", "Fixed in 2.4.1 by a 3f2a9b1c x commit", []string{"fix", "commit"}},
		{"letters with digits kept", "Upgrade log4j and HBase2 on s3", []string{"upgrad", "log4j", "hbase2", "s3"}},
		{"camelCase split", "ConnectionPool leaks in getHBaseAdmin", []string{"connect", "pool", "leak", "get", "hbase", "admin"}},
		{"acronym then word", "HTTPServer throws IOException", []string{"http", "server", "throw", "io", "except"}},
		{"snake and dotted names", "max_retry_count in org.apache.camel", []string{"max", "retri", "count", "org", "apach", "camel"}},
		{"URLs dropped", "See https://issues.apache.org/jira/browse/HBASE-1?x=y and www.example.com/a now", []string{"see"}},
		{"jira link keeps its text", "Read [the guide|https://example.com/guide] first", []string{"read", "guid", "first"}},
		{"markdown link keeps its text", "Read [the guide](https://example.com/guide).", []string{"read", "guid"}},
		{"jira code block dropped", "Cleanup:\n{code:java}\nint unusedVariable = 0;\n{code}\nlater", []string{"cleanup", "later"}},
		{"jira noformat dropped", "Trace {noformat}at org.Foo.bar(Foo.java:12){noformat} ends", []string{"trace", "end"}},
		{"unclosed code tag keeps the rest", "{code}leftover words", []string{"leftov", "word"}},
		{"markdown fence dropped", "Start\n```go\nfunc deadCode() {}\n```\nlater", []string{"start", "later"}},
		{"inline code kept", "Rename `fooBar` and {{bazQux}}", []string{"renam", "foo", "bar", "baz", "qux"}},
		{"macro tags dropped, content kept", "{color:red}deprecated{color} {quote}legacy{quote}", []string{"deprec", "legaci"}},
		{"wiki headings and emphasis", "h2. *Bold* _italic_ -struck- +under+", []string{"bold", "ital", "struck"}},
		{"mentions and emails dropped", "[~jdoe] and @alice asked bob@example.org", []string{"ask"}},
		{"images and entities dropped", "Look !screenshot.png|thumbnail! &nbsp;cats&amp;dogs", []string{"look", "cat", "dog"}},
		{"unicode letters", "Überprüfung naïve café 日本語", []string{"überprüfung", "naïv", "café", "日本語"}},
		{"punctuation only", "!!! --- ??? ... ;;", []string{}},
		{"braces that are not macros", "if (x) {return y;} ${project.version}", []string{"return", "project", "version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokenize(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenizeSpans(t *testing.T) {
	text := "Refactor the ConnectionPool"
	type span struct {
		stem, word string
	}
	var got []span
	scanTerms(text, func(stem string, start, end int) {
		got = append(got, span{stem, text[start:end]})
	})
	want := []span{{"refactor", "Refactor"}, {"connect", "Connection"}, {"pool", "Pool"}}
	if !slices.Equal(got, want) {
		t.Errorf("spans = %q, want %q", got, want)
	}
}

func TestTokenizeHugeInput(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		words int
	}{
		{"long prose", strings.Repeat("refactor legacy code ", 50000), 150000},
		{"one enormous word", strings.Repeat("a", 1<<20) + " tail", 1},
		{"unclosed markup everywhere", strings.Repeat("{code x [~ ``` !a. &#", 20000) + " tail", 1},
		{"many opening code tags", strings.Repeat("{code}", 20000) + " tail", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokenize(tt.text)
			if len(got) != tt.words {
				t.Errorf("got %d tokens, want %d", len(got), tt.words)
			}
		})
	}
}

func TestTokenizeConcurrent(t *testing.T) {
	texts := []string{
		"Refactor the legacy connection pool",
		"Remove unused imports and dead code",
		"Add support for Kafka headers",
	}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = Tokenize(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 500 {
				i := (g + k) % len(texts)
				if got := Tokenize(texts[i]); !slices.Equal(got, want[i]) {
					t.Errorf("Tokenize(%q) = %q, want %q", texts[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

var benchText = `h2. Problem
The {{RegionServer}} keeps a legacy ConnectionPool that was written before HBASE-1234. It is hard to
follow and duplicates logic in [ClientPool|https://github.com/apache/hbase/blob/master/Pool.java].
{code:java}
public void close() { pool.shutdown(); }
{code}
We should refactor it, remove the dead code paths and add unit tests for the retry logic.`

func BenchmarkTokenize(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(benchText)
	}
}
