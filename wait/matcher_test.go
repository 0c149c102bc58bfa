package wait

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchers(t *testing.T) {
	for _, c := range []struct {
		m     Matcher
		value string
		want  bool
		desc  string
	}{
		{Contains("ok"), "all ok\n", true, `contains "ok"`},
		{Contains("ok"), "starting", false, `contains "ok"`},
		{Equals("ready"), "ready", true, `equals "ready"`},
		{Equals("ready"), "ready\n", false, `equals "ready"`},
		{HasPrefix("220 "), "220 mail ready", true, `starts with "220 "`},
		{HasPrefix("220 "), "421 busy", false, `starts with "220 "`},
		{Regexp(`^\{"status":"(up|ok)"`), `{"status":"up"}`, true, `matches /^\{"status":"(up|ok)"/`},
		{Regexp(`^ok$`), "not ok", false, `matches /^ok$/`},
		{MatchFunc("is short", func(b []byte) bool { return len(b) < 3 }), "ab", true, "is short"},
		{Matcher{}, "anything", true, "is anything"},
	} {
		assert.Equal(t, c.want, c.m.Match([]byte(c.value)), "%s on %q", c.desc, c.value)
		assert.Equal(t, c.desc, c.m.String())
		assert.NoError(t, c.m.Err())
	}
}

func TestMatcherInvalidPattern(t *testing.T) {
	m := Regexp("(unclosed")
	assert.ErrorContains(t, m.Err(), "invalid pattern /(unclosed/")
	assert.False(t, m.Match([]byte("(unclosed")), "an invalid matcher matches nothing")
}

func TestMatcherMismatchText(t *testing.T) {
	err := Contains("ok").mismatch("body", []byte("starting\n"))
	assert.EqualError(t, err, `body: want contains "ok", got "starting\n"`)

	long := strings.Repeat("x", 500)
	err = Equals("y").mismatch("output", []byte(long))
	assert.Contains(t, err.Error(), `… (500 bytes)`)
	assert.Less(t, len(err.Error()), 300, "long values are shortened")
}
