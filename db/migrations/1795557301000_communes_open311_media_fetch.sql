-- Up Migration
-- Whether Vigie downloads the photo at an Open311 request's media_url (off by default: fetching
-- a URL chosen by a client is a network side effect the commune must opt into).
ALTER TABLE communes ADD COLUMN open311_media_fetch boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE communes DROP COLUMN open311_media_fetch;
