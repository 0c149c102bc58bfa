package mqtt

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConnectPacket compares the readiness probe's CONNECT with paho's,
// also for a packet whose remaining length needs two bytes.
func TestConnectPacket(t *testing.T) {
	for _, password := range []string{"secret", strings.Repeat("p", 300)} {
		cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
		cp.ProtocolName, cp.ProtocolVersion = "MQTT", 4
		cp.CleanSession, cp.UsernameFlag, cp.PasswordFlag = true, true, true
		cp.Keepalive = 30
		cp.ClientIdentifier, cp.Username, cp.Password = "id", "user", []byte(password)
		var want bytes.Buffer
		require.NoError(t, cp.Write(&want))
		assert.Equal(t, want.String(), connectPacket("id", "user", password))
	}
}

// TestPasswordLine checks the "$6$" line: SHA-512 of the password and the
// salt, as mosquitto_passwd writes it.
func TestPasswordLine(t *testing.T) {
	line := passwordLine("user", "secret")
	require.True(t, strings.HasPrefix(line, "user:$6$") && strings.HasSuffix(line, "\n"), line)
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "user:$6$"), "\n"), "$")
	require.Len(t, parts, 2)
	salt, err := base64.StdEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.Len(t, salt, 12)
	sum := sha512.Sum512(append([]byte("secret"), salt...))
	assert.Equal(t, base64.StdEncoding.EncodeToString(sum[:]), parts[1])
}
