import { Migration } from '@mikro-orm/migrations';

export class Migration20261128074021_access extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_key" ("id" bigserial primary key, "key_id" varchar(32) not null, "secret_hash" bytea not null, "institution_id" bigint null, "role" text check ("role" in ('BANK', 'INSURER', 'GUARANTOR', 'GOVERNMENT', 'REGULATOR', 'ANALYST', 'ADMIN')) not null, "area_codes" text[] not null default '{}', "pii_granted" boolean not null default false, "label" varchar(200) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz null, "revoked_at" timestamptz null, "rotated_from_id" bigint null, "created_by" varchar(100) not null, constraint api_key_dates check ((expires_at is null or expires_at > created_at) and (revoked_at is null or revoked_at >= created_at)), constraint api_key_secret_hash_length check (octet_length(secret_hash) = 32));`);
    this.addSql(`alter table "api_key" add constraint "api_key_key_id_unique" unique ("key_id");`);
    this.addSql(`create index "api_key_rotated_from_id_index" on "api_key" ("rotated_from_id");`);
    this.addSql(`create index "api_key_live_index" on "api_key" ("institution_id") where "revoked_at" is null;`);

    this.addSql(`create table "persisted_operation" ("id" bigserial primary key, "sha256" varchar(64) not null, "document" text not null, "name" varchar(200) null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "persisted_operation" add constraint "persisted_operation_sha256_unique" unique ("sha256");`);

    this.addSql(`create table "usage_counter" ("id" bigserial primary key, "principal_key" varchar(200) not null, "day" date not null, "cost" bigint not null default 0, "requests" int not null default 0, constraint usage_counter_non_negative check (cost >= 0 and requests >= 0));`);
    this.addSql(`alter table "usage_counter" add constraint "usage_counter_principal_key_day_unique" unique ("principal_key", "day");`);

    this.addSql(`alter table "api_key" add constraint "api_key_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "api_key" add constraint "api_key_rotated_from_id_foreign" foreign key ("rotated_from_id") references "api_key" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "audit_log" add column "chain_seq" bigint null;`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_chain_seq_unique" unique ("chain_seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_key" drop constraint "api_key_rotated_from_id_foreign";`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "persisted_operation" cascade;`);

    this.addSql(`drop table if exists "usage_counter" cascade;`);

    this.addSql(`alter table "audit_log" drop constraint "audit_log_chain_seq_unique";`);
    this.addSql(`alter table "audit_log" drop column "chain_seq";`);
  }

}
