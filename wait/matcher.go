package wait

import (
	"bytes"
	"fmt"
	"regexp"
)

// Matcher checks a value a strategy read: an HTTP body or header, a
// command's output, a file's content, a greeting. Make one with Contains,
// Equals, HasPrefix, Regexp or MatchFunc. The zero Matcher matches
// anything.
//
// A Matcher is immutable and safe for concurrent use.
type Matcher struct {
	desc  string
	match func([]byte) bool
	err   error // an invalid pattern, reported when a strategy waits
}

// Contains matches a value that contains s.
func Contains(s string) Matcher {
	return Matcher{desc: fmt.Sprintf("contains %q", s), match: func(b []byte) bool { return bytes.Contains(b, []byte(s)) }}
}

// Equals matches a value that is exactly s.
func Equals(s string) Matcher {
	return Matcher{desc: fmt.Sprintf("equals %q", s), match: func(b []byte) bool { return string(b) == s }}
}

// HasPrefix matches a value that starts with s.
func HasPrefix(s string) Matcher {
	return Matcher{desc: fmt.Sprintf("starts with %q", s), match: func(b []byte) bool { return bytes.HasPrefix(b, []byte(s)) }}
}

// Regexp matches a value in which the regular expression pattern (RE2
// syntax, as in package regexp) finds a match. An invalid pattern makes
// every strategy that uses the Matcher fail at once with a
// *PermanentError.
func Regexp(pattern string) Matcher {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return Matcher{desc: fmt.Sprintf("matches /%s/", pattern), err: fmt.Errorf("invalid pattern /%s/: %w", pattern, err)}
	}
	return Matcher{desc: fmt.Sprintf("matches /%s/", pattern), match: re.Match}
}

// MatchFunc matches a value for which f returns true; desc describes the
// condition in messages ("is valid JSON", say). f must be safe for
// concurrent use.
func MatchFunc(desc string, f func(value []byte) bool) Matcher {
	return Matcher{desc: desc, match: f}
}

// Match reports whether value matches. An invalid Matcher matches
// nothing.
func (m Matcher) Match(value []byte) bool {
	if m.err != nil {
		return false
	}
	return m.match == nil || m.match(value)
}

// Err returns the error of an invalid Matcher (a bad pattern), else nil.
func (m Matcher) Err() error { return m.err }

// String describes the condition, such as `contains "ready"`.
func (m Matcher) String() string {
	if m.match == nil && m.err == nil {
		return "is anything"
	}
	return m.desc
}

// mismatch is the reason given when value does not match: `body: want
// contains "ok", got "starting\n"`. Long values are shortened.
func (m Matcher) mismatch(what string, value []byte) error {
	return fmt.Errorf("%s: want %s, got %s", what, m, snippet(value))
}

// snippetMax is how much of a value goes into a message.
const snippetMax = 200

// snippet quotes value for a message, shortened to snippetMax bytes.
func snippet(value []byte) string {
	if len(value) > snippetMax {
		return fmt.Sprintf("%q… (%d bytes)", value[:snippetMax], len(value))
	}
	return fmt.Sprintf("%q", value)
}
