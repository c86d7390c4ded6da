#!/usr/bin/env bash
# A real mail server for kuntalasku's end-to-end mail test: Postfix on
# loopback only (Debian, run as root; no systemd needed), written for CI and
# for developers' machines. Nothing leaves the machine.
#  - :587 submission: STARTTLS required, AUTH PLAIN required (sasldb)
#  - :25  plain SMTP from 127.0.0.1, no auth
#  - every recipient of any domain is delivered to one local Maildir; the
#    original recipient stays in X-Original-To
# It prints the environment the test reads (KUNTALASKU_TEST_SMTP_URL,
# KUNTALASKU_TEST_SMTP_PASSWORD, KUNTALASKU_TEST_SMTP_CA,
# KUNTALASKU_TEST_MAILDIR) as shell assignments for eval.
#
# Env: SMTP_USER (invoicer), SMTP_PASS (a random one), CERT_DIR
# (/etc/postfix/kuntalasku-tls), CAPTURE_USER (kuntalasku-mail).
set -euo pipefail
SMTP_USER=${SMTP_USER:-invoicer}
SMTP_PASS=${SMTP_PASS:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
CERT_DIR=${CERT_DIR:-/etc/postfix/kuntalasku-tls}
CAPTURE_USER=${CAPTURE_USER:-kuntalasku-mail}
export DEBIAN_FRONTEND=noninteractive

{
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
if ! command -v postfix >/dev/null || ! command -v saslpasswd2 >/dev/null; then
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends postfix sasl2-bin libsasl2-modules openssl ca-certificates
fi

id "$CAPTURE_USER" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$CAPTURE_USER"
CAPTURE_HOME=$(getent passwd "$CAPTURE_USER" | cut -d: -f6)

mkdir -p "$CERT_DIR"
if [ ! -s "$CERT_DIR/cert.pem" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
		-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
		-keyout "$CERT_DIR/key.pem" -out "$CERT_DIR/cert.pem" 2>/dev/null
	chmod 600 "$CERT_DIR/key.pem"
	chmod 644 "$CERT_DIR/cert.pem"
fi

mkdir -p /etc/postfix/sasl
cat >/etc/postfix/sasl/smtpd.conf <<'CONF'
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: /etc/sasldb2
CONF

postconf -e \
	'inet_interfaces = loopback-only' 'inet_protocols = ipv4' \
	'mydestination = localhost, $myhostname, localhost.localdomain' \
	'mynetworks = 127.0.0.0/8' \
	'home_mailbox = Maildir/' \
	"virtual_alias_maps = static:$CAPTURE_USER@localhost" \
	'default_transport = error:kuntalasku test server delivers nothing outside' \
	'message_size_limit = 52428800' \
	"smtpd_tls_cert_file = $CERT_DIR/cert.pem" "smtpd_tls_key_file = $CERT_DIR/key.pem" \
	'smtpd_tls_security_level = may' \
	'smtpd_sasl_local_domain = $myhostname' \
	'maillog_file = /var/log/postfix.log'
postconf -X smtpd_recipient_restrictions 2>/dev/null || true

printf '%s' "$SMTP_PASS" | saslpasswd2 -p -c -u "$(postconf -h myhostname)" "$SMTP_USER"
chgrp postfix /etc/sasldb2
chmod 640 /etc/sasldb2

# The submission service, not chrooted so that it reads /etc/sasldb2.
postconf -M submission/inet='submission inet n - n - - smtpd'
postconf -P 'submission/inet/syslog_name=postfix/submission' \
	'submission/inet/smtpd_tls_security_level=encrypt' \
	'submission/inet/smtpd_sasl_auth_enable=yes' \
	'submission/inet/smtpd_tls_auth_only=yes' \
	'submission/inet/smtpd_client_restrictions=permit_sasl_authenticated,reject' \
	'submission/inet/smtpd_relay_restrictions=permit_sasl_authenticated,reject'

newaliases
postfix check
if postfix status >/dev/null 2>&1; then postfix reload; else postfix start; fi
for _ in $(seq 1 100); do
	if (exec 3<>/dev/tcp/127.0.0.1/587) 2>/dev/null; then break; fi
	sleep 0.1
done
mkdir -p "$CAPTURE_HOME/Maildir/new" "$CAPTURE_HOME/Maildir/cur" "$CAPTURE_HOME/Maildir/tmp"
chown -R "$CAPTURE_USER" "$CAPTURE_HOME/Maildir"
} >&2

echo "KUNTALASKU_TEST_SMTP_URL=smtp://$SMTP_USER@localhost:587"
echo "KUNTALASKU_TEST_SMTP_PASSWORD=$SMTP_PASS"
echo "KUNTALASKU_TEST_SMTP_CA=$CERT_DIR/cert.pem"
echo "KUNTALASKU_TEST_MAILDIR=$CAPTURE_HOME/Maildir"
