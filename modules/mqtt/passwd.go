package mqtt

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
)

// passwordLine is a line of a mosquitto password file: user, then the
// password hashed as mosquitto_passwd's "$6$" format does it,
// SHA-512(password || salt) with a 12-byte salt, both in base64.
func passwordLine(user, password string) string {
	salt := make([]byte, 12)
	rand.Read(salt)
	h := sha512.New()
	h.Write([]byte(password))
	h.Write(salt)
	enc := base64.StdEncoding
	return user + ":$6$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(h.Sum(nil)) + "\n"
}

// connectPacket is an MQTT 3.1.1 CONNECT with a clean session, the client
// id, the user and the password.
func connectPacket(clientID, user, password string) string {
	str := func(s string) []byte {
		b := binary.BigEndian.AppendUint16(nil, uint16(len(s)))
		return append(b, s...)
	}
	var body []byte
	body = append(body, str("MQTT")...)
	body = append(body, 4, 0xC2, 0, 30) // level 4 (3.1.1), user+password+clean, keep-alive 30 s
	body = append(body, str(clientID)...)
	body = append(body, str(user)...)
	body = append(body, str(password)...)
	pkt := []byte{0x10}
	for n := len(body); ; {
		b := byte(n % 128)
		n /= 128
		if n > 0 {
			b |= 0x80
		}
		pkt = append(pkt, b)
		if n == 0 {
			break
		}
	}
	return string(append(pkt, body...))
}
