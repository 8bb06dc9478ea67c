/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fixed-seed random generator for the simulation's TLS, and only for it.
 *
 * The simulation promises the same bytes for the same scenario (step back
 * replays it, exports are compared with golden files). TLS draws random
 * numbers for the hello randoms, the key shares and the RSA-PSS salts, so
 * the simulation's TLS contexts live in their own OpenSSL library context
 * whose three DRBGs (primary, public, private) are this generator: SHA-256
 * over a key and a counter, the key ratcheted after every request, and
 * seeded from a fixed text instead of the operating system's entropy.
 *
 * That makes every secret of a simulated session predictable, which is the
 * point: the simulation's sessions exist to be looked into, the key log is
 * exported next to them, and the server's key is in the source code anyway
 * (ms-tls-fixed-identity.c). The real listeners and the bridge to external
 * servers never use this context: they keep OpenSSL's default DRBG.
 *
 * It is a built-in OpenSSL provider (OSSL_PROVIDER_add_builtin) offering one
 * RAND algorithm, selected with RAND_set_DRBG_type() before the context's
 * first use; OpenSSL 3.0 has no call to replace a context's DRBG directly. */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include <string.h>

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "ms-tls-context.h"
#include "ms-tls-private.h"

#define PROVIDER_NAME "mailscope-sim-random"
#define DRBG_NAME     "MAILSCOPE-SIM-DRBG"
#define KEY_LEN       32
#define MAX_REQUEST   (1u << 16)

/* Not a secret: it makes the start of every simulation the same. */
static const char root_seed[] = "Mailscope simulation: fixed-seed TLS random, not secret";

struct _MsTlsSimRandom
{
  OSSL_LIB_CTX  *libctx;
  OSSL_PROVIDER *providers[2];   /* OpenSSL's default, then this one */
};

typedef struct _SimDrbg SimDrbg;

struct _SimDrbg
{
  SimDrbg *parent;       /* another SimDrbg, or NULL for the primary */
  GMutex  *lock;         /* only once OpenSSL enables locking */
  guint8   key[KEY_LEN];
  guint64  counter;
  int      state;
};

static int drbg_generate (void *vctx, unsigned char *out, size_t outlen, unsigned int strength,
                          int prediction_resistance, const unsigned char *adin, size_t adin_len);

/* key = SHA-256 (key || label || data): the one mixing step. */
static void
drbg_mix (SimDrbg      *drbg,
          const char   *label,
          const guint8 *data,
          gsize         len)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize key_len = KEY_LEN;

  g_checksum_update (sum, drbg->key, KEY_LEN);
  g_checksum_update (sum, (const guchar *) label, strlen (label) + 1);
  if (len > 0)
    g_checksum_update (sum, data, len);
  g_checksum_get_digest (sum, drbg->key, &key_len);
  g_assert (key_len == KEY_LEN);
}

static void *
drbg_new (void                *provctx,
          void                *parent,
          const OSSL_DISPATCH *parent_calls)
{
  SimDrbg *drbg = g_new0 (SimDrbg, 1);

  /* The public and private DRBGs are children of the primary; the primary's
   * own parent is OpenSSL's entropy source, which this generator ignores. */
  for (; parent_calls != NULL && parent_calls->function_id != 0; parent_calls++)
    if (parent_calls->function_id == OSSL_FUNC_RAND_GENERATE &&
        parent_calls->function == (void (*) (void)) drbg_generate)
      drbg->parent = parent;
  return drbg;
}

static void
drbg_free (void *vctx)
{
  SimDrbg *drbg = vctx;

  if (drbg->lock != NULL)
    {
      g_mutex_clear (drbg->lock);
      g_free (drbg->lock);
    }
  g_free (drbg);
}

static int
drbg_lock (void *vctx)
{
  SimDrbg *drbg = vctx;

  if (drbg->lock != NULL)
    g_mutex_lock (drbg->lock);
  return 1;
}

static void
drbg_unlock (void *vctx)
{
  SimDrbg *drbg = vctx;

  if (drbg->lock != NULL)
    g_mutex_unlock (drbg->lock);
}

static int
drbg_enable_locking (void *vctx)
{
  SimDrbg *drbg = vctx;

  if (drbg->lock == NULL)
    {
      drbg->lock = g_new0 (GMutex, 1);
      g_mutex_init (drbg->lock);
    }
  return 1;
}

static int
drbg_instantiate (void                *vctx,
                  unsigned int         strength,
                  int                  prediction_resistance,
                  const unsigned char *pstr,
                  size_t               pstr_len,
                  const OSSL_PARAM     params[])
{
  SimDrbg *drbg = vctx;

  memset (drbg->key, 0, KEY_LEN);
  drbg->counter = 0;
  if (drbg->parent != NULL)
    {
      guint8 seed[KEY_LEN];

      drbg_lock (drbg->parent);
      drbg_generate (drbg->parent, seed, sizeof seed, 0, 0, NULL, 0);
      drbg_unlock (drbg->parent);
      drbg_mix (drbg, "child", seed, sizeof seed);
    }
  else
    drbg_mix (drbg, "root", (const guint8 *) root_seed, sizeof root_seed - 1);
  drbg_mix (drbg, "personalisation", pstr, pstr != NULL ? pstr_len : 0);
  drbg->state = EVP_RAND_STATE_READY;
  return 1;
}

static int
drbg_uninstantiate (void *vctx)
{
  SimDrbg *drbg = vctx;

  memset (drbg->key, 0, KEY_LEN);
  drbg->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

static int
drbg_generate (void                *vctx,
               unsigned char       *out,
               size_t               outlen,
               unsigned int         strength,
               int                  prediction_resistance,
               const unsigned char *adin,
               size_t               adin_len)
{
  SimDrbg *drbg = vctx;

  if (drbg->state != EVP_RAND_STATE_READY || strength > 256)
    return 0;
  if (adin != NULL && adin_len > 0)
    drbg_mix (drbg, "additional input", adin, adin_len);
  while (outlen > 0)
    {
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 block[KEY_LEN];
      gsize block_len = sizeof block;
      guint64 counter = GUINT64_TO_BE (drbg->counter);
      gsize n = MIN (outlen, sizeof block);

      g_checksum_update (sum, drbg->key, KEY_LEN);
      g_checksum_update (sum, (const guchar *) &counter, sizeof counter);
      g_checksum_get_digest (sum, block, &block_len);
      drbg->counter++;
      memcpy (out, block, n);
      out += n;
      outlen -= n;
    }
  /* Backtracking resistance in spirit: the next key is not the one used. */
  drbg_mix (drbg, "ratchet", NULL, 0);
  return 1;
}

static int
drbg_reseed (void                *vctx,
             int                  prediction_resistance,
             const unsigned char *ent,
             size_t               ent_len,
             const unsigned char *adin,
             size_t               adin_len)
{
  SimDrbg *drbg = vctx;

  /* Only what the caller gives is mixed in: never the system's entropy. */
  drbg_mix (drbg, "reseed", ent, ent != NULL ? ent_len : 0);
  drbg_mix (drbg, "additional input", adin, adin != NULL ? adin_len : 0);
  return 1;
}

static const OSSL_PARAM *
drbg_gettable_ctx_params (void *vctx,
                          void *provctx)
{
  static const OSSL_PARAM gettable[] = {
    OSSL_PARAM_int (OSSL_RAND_PARAM_STATE, NULL),
    OSSL_PARAM_uint (OSSL_RAND_PARAM_STRENGTH, NULL),
    OSSL_PARAM_size_t (OSSL_RAND_PARAM_MAX_REQUEST, NULL),
    OSSL_PARAM_END
  };

  return gettable;
}

static int
drbg_get_ctx_params (void       *vctx,
                     OSSL_PARAM  params[])
{
  SimDrbg *drbg = vctx;
  OSSL_PARAM *p;

  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_STATE)) != NULL &&
      !OSSL_PARAM_set_int (p, drbg->state))
    return 0;
  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_STRENGTH)) != NULL &&
      !OSSL_PARAM_set_uint (p, 256))
    return 0;
  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_MAX_REQUEST)) != NULL &&
      !OSSL_PARAM_set_size_t (p, MAX_REQUEST))
    return 0;
  return 1;
}

static const OSSL_DISPATCH drbg_functions[] = {
  { OSSL_FUNC_RAND_NEWCTX, (void (*) (void)) drbg_new },
  { OSSL_FUNC_RAND_FREECTX, (void (*) (void)) drbg_free },
  { OSSL_FUNC_RAND_INSTANTIATE, (void (*) (void)) drbg_instantiate },
  { OSSL_FUNC_RAND_UNINSTANTIATE, (void (*) (void)) drbg_uninstantiate },
  { OSSL_FUNC_RAND_GENERATE, (void (*) (void)) drbg_generate },
  { OSSL_FUNC_RAND_RESEED, (void (*) (void)) drbg_reseed },
  { OSSL_FUNC_RAND_ENABLE_LOCKING, (void (*) (void)) drbg_enable_locking },
  { OSSL_FUNC_RAND_LOCK, (void (*) (void)) drbg_lock },
  { OSSL_FUNC_RAND_UNLOCK, (void (*) (void)) drbg_unlock },
  { OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, (void (*) (void)) drbg_gettable_ctx_params },
  { OSSL_FUNC_RAND_GET_CTX_PARAMS, (void (*) (void)) drbg_get_ctx_params },
  { 0, NULL }
};

static const OSSL_ALGORITHM provider_rands[] = {
  { DRBG_NAME, "provider=" PROVIDER_NAME, drbg_functions, "Mailscope's fixed-seed simulation DRBG" },
  { NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM *
provider_query (void *provctx,
                int   operation_id,
                int  *no_cache)
{
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? provider_rands : NULL;
}

static const OSSL_DISPATCH provider_functions[] = {
  { OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*) (void)) provider_query },
  { 0, NULL }
};

static int
provider_init (const OSSL_CORE_HANDLE  *handle,
               const OSSL_DISPATCH     *in,
               const OSSL_DISPATCH    **out,
               void                   **provctx)
{
  *out = provider_functions;
  *provctx = (void *) handle;
  return 1;
}

/**
 * ms_tls_sim_random_new:
 * @seed: text that tells this generator's stream apart (not secret)
 *
 * A library context for the simulation's TLS contexts whose randomness is
 * a fixed function of @seed and of the order of the requests.
 */
MsTlsSimRandom *
ms_tls_sim_random_new (const char  *seed,
                       GError     **error)
{
  MsTlsSimRandom *self = g_atomic_rc_box_new0 (MsTlsSimRandom);
  EVP_RAND_CTX *primary = NULL;

  ERR_clear_error ();
  self->libctx = OSSL_LIB_CTX_new ();
  if (self->libctx == NULL ||
      OSSL_PROVIDER_add_builtin (self->libctx, PROVIDER_NAME, provider_init) != 1 ||
      (self->providers[0] = OSSL_PROVIDER_load (self->libctx, "default")) == NULL ||
      (self->providers[1] = OSSL_PROVIDER_load (self->libctx, PROVIDER_NAME)) == NULL ||
      RAND_set_DRBG_type (self->libctx, DRBG_NAME, "provider=" PROVIDER_NAME, NULL, NULL) != 1 ||
      (primary = RAND_get0_primary (self->libctx)) == NULL ||
      EVP_RAND_reseed (primary, 0, (const guchar *) seed, strlen (seed), NULL, 0) != 1)
    {
      ms_tls_set_openssl_error (error, MS_TLS_ERROR_SETTINGS,
                                "Could not set up the simulation's TLS random generator");
      ms_tls_sim_random_unref (self);
      return NULL;
    }
  return self;
}

MsTlsSimRandom *
ms_tls_sim_random_ref (MsTlsSimRandom *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
sim_random_clear (gpointer data)
{
  MsTlsSimRandom *self = data;

  /* Unload what was loaded before freeing the library context: OpenSSL
   * 3.0 otherwise leaks one provider per context. The DRBGs hold their
   * own references to this provider until the context frees them. */
  for (guint i = G_N_ELEMENTS (self->providers); i-- > 0; )
    if (self->providers[i] != NULL)
      OSSL_PROVIDER_unload (self->providers[i]);
  g_clear_pointer (&self->libctx, OSSL_LIB_CTX_free);
}

void
ms_tls_sim_random_unref (MsTlsSimRandom *self)
{
  g_atomic_rc_box_release_full (self, sim_random_clear);
}

OSSL_LIB_CTX *
ms_tls_sim_random_get_libctx (MsTlsSimRandom *self)
{
  return self->libctx;
}
