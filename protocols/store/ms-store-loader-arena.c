/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the mbox loader puts the messages it copies out of a file.
 *
 * Loading 100,000 messages (2 GB) spent most of its time in the kernel,
 * taking one page fault for every 4 KiB of new message memory (perf: about
 * 500,000 faults at over 10 µs each on a shared virtual machine). So a large
 * file's messages are written one after another into big anonymous blocks
 * that may be backed by 2 MiB pages, and each message is a GBytes slice that
 * holds its block. The price: a block's memory goes back only when every
 * message in it is gone, which suits a mailbox that is loaded once.
 *
 * Small inputs, and builds with AddressSanitizer (which must see a read past
 * the end of one message), give every message its own allocation instead. */
#define G_LOG_DOMAIN "ms-store-loader"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "ms-store-loader-private.h"

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_SANITIZED 1
#endif
#endif
#ifndef ARENA_SANITIZED
#define ARENA_SANITIZED 0
#endif

#define BLOCK_MAX   (32u * 1024u * 1024u)
#define SHARED_FROM (4u * 1024u * 1024u)   /* inputs smaller than this: one allocation per message */
#define OWN_START   (64u * 1024u)          /* the first size of a message's own buffer */

struct _MsLoaderArena
{
  gboolean shared;
  GBytes  *block;      /* shared: owns the current block */
  guint8  *base;       /* the current block, or the message's own buffer */
  gsize    size;
  gsize    start;      /* where the message being built starts in base */
  gsize    len;        /* its length so far */
  gsize    expected;   /* input bytes not yet handed out, to size the next block */
};

typedef struct
{
  void  *base;
  gsize  size;
} Block;

static void
block_unmap (gpointer data)
{
  Block *block = data;

  munmap (block->base, block->size);
  g_free (block);
}

MsLoaderArena *
ms_loader_arena_new (gsize expected)
{
  MsLoaderArena *arena = g_new0 (MsLoaderArena, 1);

  arena->shared = !ARENA_SANITIZED && expected >= SHARED_FROM;
  arena->expected = expected;
  return arena;
}

void
ms_loader_arena_free (MsLoaderArena *arena)
{
  if (arena == NULL)
    return;
  if (arena->shared)
    g_clear_pointer (&arena->block, g_bytes_unref);
  else
    g_free (arena->base);
  g_free (arena);
}

/* A new block for the rest of the input, with the message built so far
 * moved to its start. */
static void
new_block (MsLoaderArena *arena,
           gsize          need)
{
  /* Line ends grow by one byte each (LF to CRLF): a sixteenth more than the
   * input covers lines of 16 bytes or longer. */
  gsize size = MIN ((gsize) BLOCK_MAX, arena->expected + arena->expected / 16 + 65536);
  Block *block = g_new (Block, 1);
  guint8 *base;

  size = MAX (size, need * 2);
  base = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes: %s", G_STRLOC, size, g_strerror (errno));
#ifdef MADV_HUGEPAGE
  /* A hint only: where 2 MiB pages are off or short, 4 KiB pages serve. */
  madvise (base, size, MADV_HUGEPAGE);
#endif
  block->base = base;
  block->size = size;
  if (arena->len > 0)
    memcpy (base, arena->base + arena->start, arena->len);
  g_clear_pointer (&arena->block, g_bytes_unref);
  arena->block = g_bytes_new_with_free_func (base, size, block_unmap, block);
  arena->base = base;
  arena->size = size;
  arena->start = 0;
}

static inline void
reserve (MsLoaderArena *arena,
         gsize          more)
{
  if (arena->start + arena->len + more <= arena->size)
    return;
  if (arena->shared)
    new_block (arena, arena->len + more);
  else
    {
      arena->size = MAX (MAX (arena->size * 2, arena->len + more), OWN_START);
      arena->base = g_realloc (arena->base, arena->size);
    }
}

void
ms_loader_arena_append_line (MsLoaderArena *arena,
                             const char    *line,
                             gsize          len)
{
  guint8 *end;

  reserve (arena, len + 2);
  end = arena->base + arena->start + arena->len;
  memcpy (end, line, len);
  end[len] = '\r';
  end[len + 1] = '\n';
  arena->len += len + 2;
}

gsize
ms_loader_arena_get_length (MsLoaderArena *arena)
{
  return arena->len;
}

void
ms_loader_arena_discard (MsLoaderArena *arena)
{
  arena->len = 0;
}

GBytes *
ms_loader_arena_finish (MsLoaderArena *arena)
{
  GBytes *bytes;

  arena->expected -= MIN (arena->expected, arena->len);
  if (arena->shared)
    {
      bytes = arena->block != NULL ? g_bytes_new_from_bytes (arena->block, arena->start, arena->len)
                                   : g_bytes_new (NULL, 0);
      arena->start += arena->len;
    }
  else
    {
      /* Shrinking in place: the buffer becomes the message, no copy. */
      bytes = g_bytes_new_take (g_realloc (arena->base, MAX (arena->len, 1)), arena->len);
      arena->base = NULL;
      arena->size = 0;
    }
  arena->len = 0;
  return bytes;
}
