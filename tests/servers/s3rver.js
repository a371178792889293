#!/usr/bin/env node
// Starts s3rver (the pinned npm package) for the s3 storage driver's tests:
//   node --openssl-legacy-provider s3rver.js <directory> <port> [--conditional-writes] [--upload-part-copy] [--multipart-listing]
// (s3rver signs list continuation tokens with DES, which Node's OpenSSL 3 keeps in its legacy
// provider; without the flag every truncated listing answers 500.)
// s3rver 3.7.1 decodes x-amz-copy-source with decodeURI, so the URL-encoded form that AWS
// documents and the AWS SDK for .NET v4 sends ("bucket%2Fkey") names no bucket and every
// CopyObject fails; the copy controller gets the header decoded here, after its signature was
// checked. With --conditional-writes, PutObject and DeleteObject also honour If-None-Match: * and
// If-Match (412 when the condition fails), which AWS S3 does since 2024 and s3rver does not: the
// tests of the driver's cross-replica locks use it and say so in their names. With
// --upload-part-copy, UploadPartCopy (a PUT of a part with x-amz-copy-source, which s3rver answers
// NotImplemented) copies the source's range (x-amz-copy-source-range) into the part, under
// x-amz-copy-source-if-match, so the driver's server-side copies run as they do on AWS. With
// --multipart-listing, ListMultipartUploads, ListParts and AbortMultipartUpload (which s3rver
// answers NotImplemented or MethodNotAllowed) work on its pending uploads, one page each:
// Distribution's s3 driver keeps an upload session's bytes in a pending multipart upload and
// finds it again with them, so Distribution can run on this server in the compatibility tests.
// Listings with a delimiter and copies that replace metadata are fixed (below). Nothing else changes.
'use strict';

const S3rver = require('s3rver');
const objects = require('s3rver/lib/controllers/object');
const S3Error = require('s3rver/lib/models/error');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

const [directory, port, ...flags] = process.argv.slice(2);
const conditionalWrites = flags.includes('--conditional-writes');
const uploadPartCopy = flags.includes('--upload-part-copy');
const multipartListing = flags.includes('--multipart-listing');
const unquote = etag => (etag || '').replace(/"/g, '');

// s3rver 3.7.1 answers a listing with a delimiter by walking the bucket's folders, but never
// enters a folder two levels below the prefix, so a common prefix whose objects all lie deeper is
// left out (".../tags/" lists no "v1/" when v1's only object is ".../tags/v1/current/link"), and
// every tags list and catalog came back empty. Such a listing is made here from the full one.
const listObjects = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function listFolded(bucket, options) {
  const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) return listObjects.call(this, bucket, options);
  const all = await listObjects.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const commonPrefixes = new Set();
  const found = [];
  let isTruncated = false;
  for (const object of all.objects) {
    const end = object.key.indexOf(delimiter, prefix.length);
    if (end !== -1) {
      commonPrefixes.add(object.key.slice(0, end + delimiter.length));
    } else if (found.length < maxKeys) {
      found.push(object);
    } else {
      isTruncated = true;
      break;
    }
  }
  return { objects: found, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
};

// A CopyObject that replaces the metadata (as the s3 driver's moves do, to keep the modification
// time) copies the bytes but leaves the destination's old MD5 beside them, so a copy over an
// existing object answered GETs with the old ETag, which the SDK checks the bytes against. The
// stale MD5 goes first; s3rver computes it again from the bytes.
const copyObject = FilesystemStore.prototype.copyObject;
FilesystemStore.prototype.copyObject = async function copyWithFreshMd5(srcBucket, srcKey, destBucket, destKey, replacementMetadata) {
  if (replacementMetadata && (srcBucket !== destBucket || srcKey !== destKey)) {
    await require('fs/promises').rm(this.getResourcePath(destBucket, destKey, 'object.md5'), { force: true });
  }
  return copyObject.call(this, srcBucket, srcKey, destBucket, destKey, replacementMetadata);
};

const copy = objects.putObjectCopy;
objects.putObjectCopy = ctx => {
  const source = ctx.headers['x-amz-copy-source'];
  if (source) {
    ctx.headers['x-amz-copy-source'] = decodeURIComponent(source);
  }
  return copy(ctx);
};

if (conditionalWrites) {
  // One write at a time per key, so a condition checked holds until its write is done.
  const queues = new Map();
  const serialized = (ctx, action) => {
    const id = `${ctx.params.bucket}/${ctx.params.key}`;
    const run = (queues.get(id) || Promise.resolve()).then(action, action);
    const tail = run.catch(() => {});
    queues.set(id, tail);
    tail.then(() => queues.get(id) === tail && queues.delete(id));
    return run;
  };
  const check = async ctx => {
    const noneMatch = ctx.headers['if-none-match'];
    const match = ctx.headers['if-match'];
    if (!noneMatch && !match) return;
    const exists = await ctx.store.existsObject(ctx.params.bucket, ctx.params.key);
    const current = exists ? unquote((await ctx.store.getMetadata(ctx.params.bucket, ctx.params.key)).etag) : null;
    if (noneMatch === '*' && exists) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
    }
    if (match && !exists) {
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: ctx.params.key });
    }
    if (match && unquote(match) !== current) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
    }
  };
  for (const name of ['putObject', 'deleteObject']) {
    const original = objects[name];
    objects[name] = ctx => serialized(ctx, async () => {
      await check(ctx);
      return original(ctx);
    });
  }
}

if (uploadPartCopy) {
  const router = require('s3rver/lib/routes');
  const copyPart = async ctx => {
    let source = decodeURIComponent(ctx.headers['x-amz-copy-source']);
    source = source.startsWith('/') ? source.slice(1) : source;
    const [bucket, ...key] = source.split('/');
    const sourceKey = key.join('/');
    if (!(await ctx.store.existsObject(bucket, sourceKey))) {
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: sourceKey });
    }
    const metadata = await ctx.store.getMetadata(bucket, sourceKey);
    const match = ctx.headers['x-amz-copy-source-if-match'];
    if (match && unquote(match) !== unquote(metadata.etag)) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'x-amz-copy-source-If-Match' });
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(ctx.headers['x-amz-copy-source-range'] || '');
    const object = await ctx.store.getObject(bucket, sourceKey, range ? { start: Number(range[1]), end: Number(range[2]) } : {});
    const { md5 } = await ctx.store.putPart(ctx.params.bucket, ctx.query.uploadId, ctx.query.partNumber, object.content);
    ctx.body = { CopyPartResult: { LastModified: new Date().toISOString(), ETag: JSON.stringify(md5) } };
  };
  const layer = router.stack.find(candidate => candidate.path === '/:bucket/:key+' && candidate.methods.includes('PUT'));
  const handler = layer.stack[layer.stack.length - 1];
  layer.stack[layer.stack.length - 1] = (ctx, next) =>
    ctx.params.queryMethod === 'uploadId' && 'x-amz-copy-source' in ctx.headers ? copyPart(ctx) : handler(ctx, next);
}

if (multipartListing) {
  const fs = require('fs/promises');
  const path = require('path');
  const router = require('s3rver/lib/routes');
  const uploadsDirectory = ctx => ctx.store.getResourcePath(ctx.params.bucket, undefined, 'uploads');
  const uploadDirectory = ctx => path.join(uploadsDirectory(ctx), path.basename(ctx.query.uploadId));
  const noSuchUpload = ctx => new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: ctx.query.uploadId });
  const readUpload = async directory => {
    const [key, stat] = await Promise.all([fs.readFile(path.join(directory, 'key'), 'utf8'), fs.stat(path.join(directory, 'key'))]);
    return { key, initiated: stat.mtime };
  };
  const listUploads = async ctx => {
    const prefix = ctx.query.prefix || '';
    const ids = await fs.readdir(uploadsDirectory(ctx)).catch(error => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const uploads = [];
    for (const id of ids) {
      const upload = await readUpload(path.join(uploadsDirectory(ctx), id)).catch(() => null);
      if (upload && upload.key.startsWith(prefix)) uploads.push({ id, ...upload });
    }
    uploads.sort((a, b) => (a.key === b.key ? a.initiated - b.initiated : a.key < b.key ? -1 : 1));
    ctx.body = {
      ListMultipartUploadsResult: {
        Bucket: ctx.params.bucket,
        Prefix: prefix,
        MaxUploads: 1000,
        IsTruncated: false,
        Upload: uploads.map(upload => ({ Key: upload.key, UploadId: upload.id, Initiated: upload.initiated.toISOString(), StorageClass: 'STANDARD' })),
      },
    };
  };
  const listParts = async ctx => {
    const directory = uploadDirectory(ctx);
    const names = await fs.readdir(directory).catch(() => Promise.reject(noSuchUpload(ctx)));
    const parts = [];
    for (const name of names.filter(name => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b)) {
      const [stat, md5] = await Promise.all([fs.stat(path.join(directory, `${name}`)), fs.readFile(path.join(directory, `${name}.md5`), 'utf8')]);
      parts.push({ PartNumber: name, LastModified: stat.mtime.toISOString(), ETag: JSON.stringify(md5), Size: stat.size });
    }
    ctx.body = {
      ListPartsResult: { Bucket: ctx.params.bucket, Key: ctx.params.key, UploadId: ctx.query.uploadId, MaxParts: 10000, IsTruncated: false, Part: parts },
    };
  };
  const abort = async ctx => {
    const directory = uploadDirectory(ctx);
    await fs.stat(directory).catch(() => Promise.reject(noSuchUpload(ctx)));
    await fs.rm(directory, { recursive: true, force: true });
    ctx.status = 204;
  };
  const wrap = (routePath, method, when, action) => {
    const layer = router.stack.find(candidate => candidate.path === routePath && candidate.methods.includes(method));
    const handler = layer.stack[layer.stack.length - 1];
    layer.stack[layer.stack.length - 1] = (ctx, next) => (when(ctx) ? action(ctx) : handler(ctx, next));
  };
  wrap('/:bucket', 'GET', ctx => ctx.params.queryMethod === 'uploads', listUploads);
  wrap('/:bucket/:key+', 'GET', ctx => ctx.params.queryMethod === 'uploadId', listParts);
  wrap('/:bucket/:key+', 'DELETE', ctx => ctx.params.queryMethod === 'uploadId', abort);
}

new S3rver({ directory, port: Number(port), address: '127.0.0.1', silent: process.env.S3RVER_VERBOSE !== '1', vhostBuckets: false })
  .run()
  .then(() => console.log(`s3rver listening on 127.0.0.1:${port}${conditionalWrites ? ' with conditional writes' : ''}${uploadPartCopy ? ' with UploadPartCopy' : ''}${multipartListing ? ' with multipart listing' : ''}`))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
