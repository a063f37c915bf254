// Package report renders what Ladder writes for people: the per-issue verdict
// comment (GitHub Markdown and Jira wiki markup), and the team/quarter report
// (Markdown for the summary issue, one self-contained HTML page, JSON).
//
// Renderers are pure: they take root types and write text, with no clock and
// no I/O beyond the io.Writer, so the same verdict always renders the same
// bytes and publish can skip unchanged comments by comparing text. Everything
// taken from an issue (titles, team names, words, paths) passes through Inert
// or InertWiki, or html/template, so generated text never mentions anyone,
// links or backlinks an issue, or injects markup.
package report
