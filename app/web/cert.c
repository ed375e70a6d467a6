/* cert.c - the TLS certificate: the school's own, or a self-signed EC
 * certificate generated with mbedTLS at first start. */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < 1024 * 1024 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	if (rc)
		unlink(path);
	return rc;
}

static int generate(const char *crt_path, const char *key_path)
{
	mbedtls_pk_context key;
	mbedtls_x509write_cert crt;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_mpi serial;
	unsigned char kbuf[2048], cbuf[4096], sn[16];
	char not_before[16], not_after[16], host[200], subject[256];
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	mbedtls_pk_init(&key);
	mbedtls_x509write_crt_init(&crt);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_mpi_init(&serial);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, (const unsigned char *)"poortd-cert", 11))
		goto out;
	if (mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
	    mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_ctr_drbg_random, &drbg))
		goto out;
	if (mbedtls_ctr_drbg_random(&drbg, sn, sizeof sn))
		goto out;
	sn[0] &= 0x7f;   /* a positive serial number */
	if (mbedtls_mpi_read_binary(&serial, sn, sizeof sn))
		goto out;
	gmtime_r(&now, &tm);
	strftime(not_before, sizeof not_before, "%Y%m%d%H%M%S", &tm);
	now += 10L * 365 * 86400;
	gmtime_r(&now, &tm);
	strftime(not_after, sizeof not_after, "%Y%m%d%H%M%S", &tm);
	if (gethostname(host, sizeof host) != 0 || !host[0])
		strcpy(host, "poort");
	host[sizeof host - 1] = '\0';
	for (char *c = host; *c; c++)   /* keep the subject well-formed */
		if (*c == ',' || *c == '=' || *c == '+' || *c == '\\')
			*c = '-';
	snprintf(subject, sizeof subject, "CN=%s,O=Poort", host);
	mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&crt, &key);
	mbedtls_x509write_crt_set_issuer_key(&crt, &key);
	if (mbedtls_x509write_crt_set_subject_name(&crt, subject) ||
	    mbedtls_x509write_crt_set_issuer_name(&crt, subject) ||
	    mbedtls_x509write_crt_set_serial(&crt, &serial) ||
	    mbedtls_x509write_crt_set_validity(&crt, not_before, not_after) ||
	    mbedtls_x509write_crt_set_basic_constraints(&crt, 0, -1) ||
	    mbedtls_x509write_crt_set_key_usage(&crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE) ||
	    mbedtls_x509write_crt_set_subject_key_identifier(&crt))
		goto out;
	if (mbedtls_pk_write_key_pem(&key, kbuf, sizeof kbuf) ||
	    mbedtls_x509write_crt_pem(&crt, cbuf, sizeof cbuf, mbedtls_ctr_drbg_random, &drbg))
		goto out;
	if (write_file(key_path, kbuf, strlen((char *)kbuf)) != 0)
		goto out;
	if (write_file(crt_path, cbuf, strlen((char *)cbuf)) != 0) {
		unlink(key_path);
		goto out;
	}
	rc = 0;
out:
	mbedtls_platform_zeroize(kbuf, sizeof kbuf);
	mbedtls_mpi_free(&serial);
	mbedtls_x509write_crt_free(&crt);
	mbedtls_pk_free(&key);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
	return rc;
}

static int fingerprint(const char *pem, char fpr[97])
{
	mbedtls_x509_crt crt;
	unsigned char h[32];
	int rc = -1;

	mbedtls_x509_crt_init(&crt);
	if (mbedtls_x509_crt_parse(&crt, (const unsigned char *)pem, strlen(pem) + 1) == 0 &&
	    mbedtls_sha256_ret(crt.raw.p, crt.raw.len, h, 0) == 0) {
		for (int i = 0; i < 32; i++)
			sprintf(fpr + 3 * i, "%02X%s", h[i], i < 31 ? ":" : "");
		rc = 0;
	}
	mbedtls_x509_crt_free(&crt);
	return rc;
}

int web_cert_load(const char *data_dir, const char *cert_file, const char *key_file,
                  char **cert, char **key, char fpr[97], bool *created)
{
	char dir[4096], crt_path[4200], key_path[4200];

	*cert = *key = NULL;
	*created = false;
	if (!cert_file != !key_file) {
		fprintf(stderr, "poortd: --cert and --key go together\n");
		return -1;
	}
	if (!cert_file) {
		snprintf(dir, sizeof dir, "%s/tls", data_dir);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "poortd: %s: %s\n", dir, strerror(errno));
			return -1;
		}
		snprintf(crt_path, sizeof crt_path, "%s/poortd.crt", dir);
		snprintf(key_path, sizeof key_path, "%s/poortd.key", dir);
		if (access(crt_path, F_OK) != 0 && access(key_path, F_OK) != 0) {
			if (generate(crt_path, key_path) != 0) {
				fprintf(stderr, "poortd: could not create a certificate in %s\n", dir);
				return -1;
			}
			*created = true;
		}
		cert_file = crt_path;
		key_file = key_path;
	}
	*cert = read_all(cert_file);
	*key = read_all(key_file);
	if (!*cert || !*key || fingerprint(*cert, fpr) != 0) {
		fprintf(stderr, "poortd: cannot read certificate %s and key %s\n", cert_file, key_file);
		free(*cert);
		free(*key);
		*cert = *key = NULL;
		return -1;
	}
	return 0;
}
