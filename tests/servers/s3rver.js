#!/usr/bin/env node
// Starts s3rver (the pinned npm package) for the s3 storage driver's tests:
//   node --openssl-legacy-provider s3rver.js <directory> <port> [--conditional-writes] [--upload-part-copy] [--multipart-uploads]
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
// --multipart-uploads, ListMultipartUploads, ListParts and AbortMultipartUpload answer as on AWS
// (s3rver answers NotImplemented or MethodNotAllowed): CNCF Distribution's s3 driver resumes an
// upload session by listing its multipart upload and parts, and aborts it on cancel; the
// benchmark (bench/compare.sh --storage s3) runs Distribution on this server.
// Nothing else changes.
'use strict';

const S3rver = require('s3rver');
const objects = require('s3rver/lib/controllers/object');
const S3Error = require('s3rver/lib/models/error');

const [directory, port, ...flags] = process.argv.slice(2);
const conditionalWrites = flags.includes('--conditional-writes');
const uploadPartCopy = flags.includes('--upload-part-copy');
const multipartUploads = flags.includes('--multipart-uploads');
const unquote = etag => (etag || '').replace(/"/g, '');

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

if (multipartUploads) {
  const fs = require('fs/promises');
  const path = require('path');
  const router = require('s3rver/lib/routes');
  // s3rver keeps each multipart upload as a folder of the bucket's uploads folder: a file "key",
  // one file per part (its number) and "<number>.md5".
  const uploadsFolder = ctx => ctx.store.getResourcePath(ctx.params.bucket, undefined, 'uploads');
  const readUploads = async ctx => {
    const folder = uploadsFolder(ctx);
    const ids = await fs.readdir(folder).catch(() => []);
    const uploads = [];
    for (const id of ids) {
      const key = await fs.readFile(path.join(folder, id, 'key'), 'utf8').catch(() => null);
      if (key !== null) uploads.push({ id, key, initiated: (await fs.stat(path.join(folder, id, 'key'))).mtime });
    }
    return uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated));
  };
  const listUploads = async ctx => {
    const prefix = ctx.query.prefix || '';
    const uploads = (await readUploads(ctx)).filter(upload => upload.key.startsWith(prefix));
    ctx.body = {
      ListMultipartUploadsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Bucket: ctx.params.bucket,
        Prefix: prefix,
        MaxUploads: 1000,
        IsTruncated: false,
        Upload: uploads.map(upload => ({
          Key: upload.key,
          UploadId: upload.id,
          StorageClass: 'STANDARD',
          Initiated: upload.initiated.toISOString(),
        })),
      },
    };
  };
  const uploadFolder = async ctx => {
    const folder = path.join(uploadsFolder(ctx), path.basename(ctx.query.uploadId || ''));
    const key = await fs.readFile(path.join(folder, 'key'), 'utf8').catch(() => null);
    if (key !== ctx.params.key) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: ctx.query.uploadId });
    }
    return folder;
  };
  const listParts = async ctx => {
    const folder = await uploadFolder(ctx);
    const numbers = (await fs.readdir(folder)).filter(name => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);
    const parts = [];
    for (const number of numbers) {
      const stat = await fs.stat(path.join(folder, String(number)));
      const md5 = await fs.readFile(path.join(folder, `${number}.md5`), 'utf8').catch(() => null);
      // A part still being written has no checksum yet: it is not listed.
      if (md5 !== null) parts.push({ PartNumber: number, LastModified: stat.mtime.toISOString(), ETag: JSON.stringify(md5), Size: stat.size });
    }
    ctx.body = {
      ListPartsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Bucket: ctx.params.bucket,
        Key: ctx.params.key,
        UploadId: ctx.query.uploadId,
        StorageClass: 'STANDARD',
        MaxParts: 10000,
        IsTruncated: false,
        Part: parts,
      },
    };
  };
  const abortUpload = async ctx => {
    await fs.rm(await uploadFolder(ctx), { recursive: true, force: true });
    ctx.status = 204;
  };
  const replace = (routePath, method, handle) => {
    const layer = router.stack.find(candidate => candidate.path === routePath && candidate.methods.includes(method));
    const original = layer.stack[layer.stack.length - 1];
    layer.stack[layer.stack.length - 1] = (ctx, next) => handle(ctx) || original(ctx, next);
  };
  replace('/:bucket', 'GET', ctx => ctx.params.queryMethod === 'uploads' && listUploads(ctx));
  replace('/:bucket/:key+', 'GET', ctx => ctx.params.queryMethod === 'uploadId' && listParts(ctx));
  replace('/:bucket/:key+', 'DELETE', ctx => ctx.params.queryMethod === 'uploadId' && abortUpload(ctx));
}

new S3rver({ directory, port: Number(port), address: '127.0.0.1', silent: process.env.S3RVER_VERBOSE !== '1', vhostBuckets: false })
  .run()
  .then(() => console.log(`s3rver listening on 127.0.0.1:${port}${conditionalWrites ? ' with conditional writes' : ''}${uploadPartCopy ? ' with UploadPartCopy' : ''}${multipartUploads ? ' with multipart upload listing' : ''}`))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
